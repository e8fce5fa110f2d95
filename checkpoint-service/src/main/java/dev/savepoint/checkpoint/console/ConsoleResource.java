package dev.savepoint.checkpoint.console;

import dev.savepoint.checkpoint.rest.RunResource;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** The web console: runs, their attempts and checkpoints with retention status, rendered from the history API. */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(List<dev.savepoint.checkpoint.rest.Responses.RunBody> runs, int page,
                long total);

        static native TemplateInstance run(dev.savepoint.checkpoint.rest.Responses.RunBody run,
                List<dev.savepoint.checkpoint.rest.Responses.AttemptBody> attempts,
                List<dev.savepoint.checkpoint.rest.Responses.CheckpointBody> checkpoints);
    }

    private final RunResource api;

    public ConsoleResource(RunResource api) {
        this.api = api;
    }

    @GET
    public TemplateInstance runs(@QueryParam("page") Integer page) {
        var runs = api.runs(page, 50);
        return Templates.runs(runs.items(), runs.page(), runs.total());
    }

    @GET
    @Path("/runs/{runId}")
    public TemplateInstance run(@PathParam("runId") String runId) {
        return Templates.run(api.run(runId), api.attempts(runId), api.checkpoints(runId, null, 0, 200).items());
    }
}
