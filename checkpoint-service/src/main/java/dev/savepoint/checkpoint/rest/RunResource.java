package dev.savepoint.checkpoint.rest;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.config.CheckpointConfig;
import dev.savepoint.checkpoint.rest.Responses.AttemptBody;
import dev.savepoint.checkpoint.rest.Responses.CheckpointBody;
import dev.savepoint.checkpoint.rest.Responses.PageBody;
import dev.savepoint.checkpoint.rest.Responses.RetentionBody;
import dev.savepoint.checkpoint.rest.Responses.RunBody;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.service.CatalogService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;

/** History API of runs: runs, their attempts, their checkpoints by step with retention status, and the latest one. */
@Path("/api/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final CatalogService catalog;
    private final CheckpointConfig config;

    public RunResource(CatalogService catalog, CheckpointConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    @GET
    public PageBody<RunBody> runs(@QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        int p = page == null ? 0 : page;
        int s = size == null ? config.api().defaultPageSize() : size;
        Requests.checkPage(p, s, config.api().maxPageSize());
        var runs = catalog.runs(p, s);
        return new PageBody<>(runs.items().stream().map(RunBody::of).toList(), p, s, runs.total());
    }

    @GET
    @Path("/{runId}")
    public RunBody run(@PathParam("runId") String runId) {
        return RunBody.of(catalog.run(runId));
    }

    @GET
    @Path("/{runId}/attempts")
    public List<AttemptBody> attempts(@PathParam("runId") String runId) {
        return catalog.attempts(runId).stream().map(AttemptBody::of).toList();
    }

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
            return CheckpointBody.of(c, new RetentionBody(going ? null : reason, going ? reason : null, c.deletedAt));
        }).toList();
        return new PageBody<>(items, p, s, result.page().total());
    }

    @GET
    @Path("/{runId}/checkpoints/latest")
    public CheckpointBody latest(@PathParam("runId") String runId) {
        return CheckpointBody.of(catalog.latest(runId));
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
