package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.run.IllegalTransitionException;
import dev.savepoint.scheduler.service.RunService;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as JSON with a message a user can act on: 400 bad input, 404 unknown run, 409 illegal transition. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return error(Response.Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(RunService.RunNotFoundException e) {
        return error(Response.Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(IllegalTransitionException e) {
        return error(Response.Status.CONFLICT, e.getMessage());
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
