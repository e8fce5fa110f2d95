package dev.savepoint.checkpoint.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.rest.CheckpointResource;
import dev.savepoint.checkpoint.service.CatalogService;
import dev.savepoint.contracts.Json;
import dev.savepoint.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The console's actions, each a POST form (the session cookie is SameSite=Strict, so another site cannot send one)
 * for operators: pin, unpin and delete a checkpoint here; submit, cancel, resume and fork at scheduler-service with
 * the user's own credentials. A refusal is shown with the API's message; success goes back to the run (303).
 */
@Path("/console/act")
@Produces(MediaType.TEXT_HTML)
public class ConsoleActions {

    private final CheckpointResource checkpoints;
    private final CatalogService catalog;
    private final SchedulerClient scheduler;
    private final SecurityIdentity identity;

    public ConsoleActions(CheckpointResource checkpoints, CatalogService catalog, SchedulerClient scheduler,
            SecurityIdentity identity) {
        this.checkpoints = checkpoints;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.identity = identity;
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/checkpoints/{id}/pin")
    public Response pin(@PathParam("id") String id) {
        return backToRun(checkpoints.pin(id).runId());
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/checkpoints/{id}/unpin")
    public Response unpin(@PathParam("id") String id) {
        return backToRun(checkpoints.unpin(id).runId());
    }

    /** Deletes a checkpoint (the page asked for confirmation before it sent this form). */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/checkpoints/{id}/delete")
    public Response delete(@PathParam("id") String id) {
        return backToRun(checkpoints.delete(id).runId());
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/runs/{runId}/cancel")
    public Response cancel(@PathParam("runId") String runId, @Context HttpHeaders headers) {
        return answer(scheduler.post("/api/runs/" + SchedulerClient.encode(runId) + "/cancel", null,
                Caller.of(headers, identity).authorization()), runId);
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/runs/{runId}/resume")
    public Response resume(@PathParam("runId") String runId, @Context HttpHeaders headers) {
        return answer(scheduler.post("/api/runs/" + SchedulerClient.encode(runId) + "/resume", null,
                Caller.of(headers, identity).authorization()), runId);
    }

    /**
     * Forks the run from one of its checkpoints: {@code POST /api/runs/{runId}/fork {checkpointId, maxSteps,
     * learningRate}} at the scheduler, with only the overrides the form filled in; the browser goes on to the new
     * run.
     */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/runs/{runId}/fork")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response fork(@PathParam("runId") String runId, @FormParam("checkpointId") String checkpointId,
            @FormParam("maxSteps") String maxSteps, @FormParam("learningRate") String learningRate,
            @Context HttpHeaders headers) {
        if (checkpointId == null || !runId.equals(catalog.checkpoint(checkpointId).runId)) {
            throw CatalogException.invalid("form field 'checkpointId' must name a checkpoint of run '" + runId + "'");
        }
        ObjectNode body = Json.mapper().createObjectNode().put("checkpointId", checkpointId);
        number(body, "maxSteps", maxSteps, true);
        number(body, "learningRate", learningRate, false);
        var answer = scheduler.post("/api/runs/" + SchedulerClient.encode(runId) + "/fork", Json.write(body),
                Caller.of(headers, identity).authorization());
        if (!answer.ok()) {
            return refused(answer, runId);
        }
        String child = answer.body() != null && answer.body().hasNonNull("runId") ? answer.body().get("runId").asText()
                : runId;
        return backToRun(child);
    }

    /**
     * Submits the editor's spec: checked here first with the API's own validator (the page shows every field's
     * problem, with or without JavaScript), then sent to the scheduler; the browser goes on to the new run.
     */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/submit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@FormParam("spec") String spec, @Context HttpHeaders headers) {
        byte[] json = spec == null ? new byte[0] : spec.getBytes(StandardCharsets.UTF_8);
        List<SpecCheck.FieldError> errors = SpecCheck.check(json);
        if (!errors.isEmpty()) {
            return Response.status(400).entity(ConsoleResource.Templates.submit(spec, errors, null).render()).build();
        }
        var answer = scheduler.post("/api/runs", json, Caller.of(headers, identity).authorization());
        if (!answer.ok() || answer.body() == null || !answer.body().hasNonNull("runId")) {
            return Response.status(answer.ok() ? 502 : answer.status())
                    .entity(ConsoleResource.Templates.submit(spec, List.of(), answer.message()).render()).build();
        }
        return backToRun(answer.body().get("runId").asText());
    }

    /** The editor's check as you type: every problem by field, as the API would refuse the spec. */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/validate")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, List<SpecCheck.FieldError>> validate(byte[] spec) {
        return Map.of("errors", SpecCheck.check(spec));
    }

    private static void number(ObjectNode overrides, String field, String value, boolean integer) {
        if (value == null || value.isBlank()) {
            return;
        }
        try {
            if (integer) {
                overrides.put(field, Long.parseLong(value.trim()));
            } else {
                overrides.put(field, Double.parseDouble(value.trim()));
            }
        } catch (NumberFormatException e) {
            throw CatalogException.invalid("form field '" + field + "' must be " + (integer ? "a whole number"
                    : "a number") + ", got '" + dev.savepoint.contracts.Ids.printable(value) + "'");
        }
    }

    private static Response answer(SchedulerClient.Answer answer, String runId) {
        return answer.ok() ? backToRun(runId) : refused(answer, runId);
    }

    private static Response refused(SchedulerClient.Answer answer, String runId) {
        String page = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Savepoint: refused</title></head>"
                + "<body><h1>scheduler-service refused</h1><p role=\"alert\" id=\"problem\">"
                + RunChart.esc(answer.message()) + "</p><p><a href=\"/console/runs/" + RunChart.esc(runId)
                + "\">Back to the run</a></p></body></html>";
        return Response.status(answer.status()).type(MediaType.TEXT_HTML).entity(page).build();
    }

    private static Response backToRun(String runId) {
        return Response.seeOther(URI.create("/console/runs/" + SchedulerClient.encode(runId))).build();
    }
}
