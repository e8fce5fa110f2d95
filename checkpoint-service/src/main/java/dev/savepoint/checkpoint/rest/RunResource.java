package dev.savepoint.checkpoint.rest;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.rest.Requests.LeaseRequest;
import dev.savepoint.checkpoint.rest.Responses.AttemptBody;
import dev.savepoint.checkpoint.rest.Responses.CheckpointBody;
import dev.savepoint.checkpoint.rest.Responses.LeaseBody;
import dev.savepoint.checkpoint.rest.Responses.LeasedCheckpointBody;
import dev.savepoint.checkpoint.rest.Responses.PageBody;
import dev.savepoint.checkpoint.rest.Responses.RetentionBody;
import dev.savepoint.checkpoint.rest.Responses.RunBody;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.service.CatalogService;
import dev.savepoint.checkpoint.service.LeaseService;
import dev.savepoint.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import java.util.List;

/**
 * History API of runs: runs, their attempts, their checkpoints by step with retention status, replacements and the
 * resume point, the latest one, and lease-newest.
 */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final CatalogService catalog;
    private final LeaseService leases;
    private final CheckpointConfig config;

    public RunResource(CatalogService catalog, LeaseService leases, CheckpointConfig config) {
        this.catalog = catalog;
        this.leases = leases;
        this.config = config;
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    public PageBody<RunBody> runs(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? config.api().defaultPageSize() : size;
        Requests.checkPage(p, s, config.api().maxPageSize());
        var runs = catalog.runs(p, s);
        return new PageBody<>(runs.items().stream().map(RunBody::of).toList(), p, s, runs.total());
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}")
    public RunBody run(@PathParam("runId") String runId) {
        return RunBody.of(catalog.run(runId));
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}/attempts")
    public List<AttemptBody> attempts(@PathParam("runId") String runId) {
        return catalog.attempts(runId).stream().map(AttemptBody::of).toList();
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}/checkpoints")
    public PageBody<CheckpointBody> checkpoints(@PathParam("runId") String runId, @QueryParam("state") String state,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? config.api().defaultPageSize() : size;
        Requests.checkPage(p, s, config.api().maxPageSize());
        var result = catalog.checkpoints(runId, parseState(state), p, s);
        List<CheckpointBody> items = result.page().items().stream().map(c -> {
            String reason = result.retentionReasons().get(c.id);
            boolean going = result.toDelete().contains(c.id);
            return CheckpointBody.of(c, new RetentionBody(going ? null : reason, going ? reason : null, c.deletedAt),
                    result.replacedBy().get(c.id), c.id.equals(result.resumePointId()));
        }).toList();
        return new PageBody<>(items, p, s, result.page().total());
    }

    @RolesAllowed({Role.VIEWER_NAME, Role.TRAINER_NAME})
    @GET
    @Path("/{runId}/checkpoints/latest")
    public CheckpointBody latest(@PathParam("runId") String runId) {
        return CheckpointBody.resumePoint(catalog.latest(runId));
    }

    /**
     * Lease-newest: the newest committed checkpoint, chosen and leased in one transaction (what an attempt resuming
     * from "latest" asks when it starts). 404 with reason RUN_UNKNOWN or NO_COMMITTED_CHECKPOINT when there is none.
     */
    @RolesAllowed({Role.TRAINER_NAME})
    @POST
    @Path("/{runId}/checkpoints/latest/lease")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response leaseNewest(@PathParam("runId") String runId, LeaseRequest request) {
        Requests.required(request, "{\"ttlSeconds\": 300, \"holder\": \"...\"}").check();
        var leased = leases.leaseNewest(runId, request.ttlSeconds(), request.holder());
        var body = new LeasedCheckpointBody(CheckpointBody.resumePoint(leased.checkpoint()),
                LeaseBody.of(leased.lease()));
        return Response.status(Response.Status.CREATED).entity(body).build();
    }

    private static CheckpointState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return CheckpointState.valueOf(state.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw CatalogException.invalid("query parameter 'state' must be one of "
                    + Arrays.toString(CheckpointState.values()) + ", got '" + state + "'");
        }
    }
}
