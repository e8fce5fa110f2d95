package dev.savepoint.trainer.rest;

import dev.savepoint.security.Role;
import dev.savepoint.trainer.supervisor.AttemptSupervisor;
import jakarta.annotation.security.RolesAllowed;
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

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    public List<AttemptView> list() {
        return supervisor.list().stream().map(AttemptView::of).toList();
    }

    /**
     * Whether this worker's attempt is alive, for the scheduler before it declares a silent attempt dead (it finds this
     * service at {@code AttemptStarted.supervisorUrl}). Answers from memory, without waiting for the supervisor's
     * lock, and checks the child process itself ({@code Process.isAlive}) on every call:
     * <ul>
     * <li>{@code state} QUEUED (waiting for a slot) or RUNNING (its child process is alive now): alive, {@code alive}
     * true. RUNNING is never shown for a child that has exited;</li>
     * <li>SUCCEEDED, FAILED or CANCELLED: gone, {@code alive} false, with {@code exitCode} and {@code message}. A child
     * that exited a moment ago shows the outcome its exit code means even before this service has handled the exit
     * (its message then says so);</li>
     * <li>404: this worker has no such attempt (it never had it, or forgot it after
     * {@code savepoint.attempts.forget-after}).</li>
     * </ul>
     */
    @RolesAllowed({Role.VIEWER_NAME, Role.TRAINER_NAME})
    @GET
    @Path("/{runId}/{attempt}")
    public AttemptView get(@PathParam("runId") String runId, @PathParam("attempt") int attempt) {
        return supervisor.find(runId, attempt).map(AttemptView::of).orElseThrow(() -> new NotFoundException(
                "run " + runId + " has no attempt " + attempt + " on this trainer-service; GET /api/attempts lists "
                        + "the attempts it has"));
    }
}
