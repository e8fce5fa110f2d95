package dev.savepoint.scheduler.rest;

import dev.savepoint.contracts.Json;
import dev.savepoint.contracts.spec.RunSpec;
import dev.savepoint.contracts.spec.ScheduleSpec;
import dev.savepoint.scheduler.domain.RunEntity;
import dev.savepoint.scheduler.repository.AttemptRepository;
import dev.savepoint.scheduler.repository.RunRepository;
import dev.savepoint.scheduler.repository.TransitionRepository;
import dev.savepoint.scheduler.service.LaunchDispatcher;
import dev.savepoint.scheduler.run.ForkSpec;
import dev.savepoint.scheduler.run.Goodput;
import dev.savepoint.scheduler.service.Forks;
import dev.savepoint.scheduler.service.RunAccounting;
import dev.savepoint.scheduler.service.RunService;
import dev.savepoint.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The runs API: submit a spec, follow a run and its attempts and its goodput, cancel, resume and fork it. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService service;
    private final RunRepository runs;
    private final AttemptRepository attempts;
    private final TransitionRepository transitions;
    private final LaunchDispatcher dispatcher;
    private final RunAccounting accounting;
    private final Forks forks;

    public RunResource(RunService service, RunRepository runs, AttemptRepository attempts,
            TransitionRepository transitions, LaunchDispatcher dispatcher, RunAccounting accounting, Forks forks) {
        this.forks = forks;
        this.service = service;
        this.runs = runs;
        this.attempts = attempts;
        this.transitions = transitions;
        this.dispatcher = dispatcher;
        this.accounting = accounting;
    }

    /** Submits a run spec (JSON); 201 with the run, 400 naming the first wrong field. */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(byte[] body) {
        RunSpec spec = Json.submittedSpec(body);
        var run = service.submit(spec);
        dispatcher.dispatchPending(false);
        return Response.created(URI.create("/api/runs/" + run.runId)).entity(view(run)).build();
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    public List<RunView> list(@QueryParam("page") @DefaultValue("0") int page,
            @QueryParam("size") @DefaultValue("50") int size) {
        // the first row, page x size, must fit an int: past it, it overflowed to a negative offset (a 500)
        if (page < 0 || size < 1 || size > 500 || (long) page * size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page must be between 0 and " + Integer.MAX_VALUE / Math.max(size, 1)
                    + " and size between 1 and 500, got page " + page + ", size " + size);
        }
        List<RunEntity> found = runs.page(page, size);
        Map<String, Goodput.RunAccount> accounts = accounting.of(found, Instant.now());
        return found.stream().map(r -> RunView.of(r, accounts.get(r.runId))).toList();
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}")
    public RunView get(@PathParam("runId") String runId) {
        return view(runs.findByIdOptional(runId).orElseThrow(() -> new RunService.RunNotFoundException(runId)));
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}/attempts")
    public List<AttemptView> attempts(@PathParam("runId") String runId) {
        get(runId);
        return attempts.ofRun(runId).stream().map(AttemptView::of).toList();
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/{runId}/transitions")
    public List<TransitionView> transitions(@PathParam("runId") String runId) {
        get(runId);
        return transitions.ofRun(runId).stream().map(TransitionView::of).toList();
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/{runId}/cancel")
    public RunView cancel(@PathParam("runId") String runId) {
        var run = service.cancel(runId);
        dispatcher.dispatchPending(false); // the cancel command goes out after the commit
        return view(run);
    }

    /**
     * Starts a new run whose attempt 1 resumes from a committed checkpoint of this run:
     * {@code {"checkpointId": ..., "maxSteps": ..., "learningRate": ..., "schedule": {...}}}, the last three optional;
     * 201 with the fork (its {@code parentRunId} and {@code parentCheckpointId}); 400 or 409 naming the field.
     */
    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/{runId}/fork")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response fork(@PathParam("runId") String runId, byte[] body) {
        ForkRequest request = Json.submitted(body, ForkRequest.class, "a fork request");
        var run = forks.fork(runId, request.checkpointId(), request.overrides());
        dispatcher.dispatchPending(false);
        return Response.created(URI.create("/api/runs/" + run.runId)).entity(view(run)).build();
    }

    /** The body of a fork. */
    public record ForkRequest(String checkpointId, Integer maxSteps, Double learningRate, ScheduleSpec schedule) {
        ForkSpec.Overrides overrides() {
            return new ForkSpec.Overrides(maxSteps, learningRate, schedule);
        }
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/{runId}/resume")
    public RunView resume(@PathParam("runId") String runId) {
        var run = service.resume(runId);
        dispatcher.dispatchPending(false);
        return view(run);
    }

    private RunView view(RunEntity run) {
        return RunView.of(run, accounting.of(run, Instant.now()));
    }
}
