package dev.savepoint.trainer.rest;

import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Read API of the attempts this worker accepted, oldest first. */
@Path("/api/attempts")
@Produces(MediaType.APPLICATION_JSON)
public class AttemptResource {

    private final AttemptSupervisor supervisor;

    public AttemptResource(AttemptSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @GET
    public List<AttemptView> list() {
        return supervisor.list().stream().map(AttemptView::of).toList();
    }

    @GET
    @Path("/{runId}/{attempt}")
    public AttemptView get(@PathParam("runId") String runId, @PathParam("attempt") int attempt) {
        return supervisor.find(runId, attempt).map(AttemptView::of).orElseThrow(() -> new NotFoundException(
                "run " + runId + " has no attempt " + attempt + " on this trainer-service; GET /api/attempts lists "
                        + "the attempts it has"));
    }
}
