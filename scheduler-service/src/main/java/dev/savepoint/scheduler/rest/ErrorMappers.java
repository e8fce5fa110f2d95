package dev.savepoint.scheduler.rest;

import dev.savepoint.scheduler.run.IllegalTransitionException;
import dev.savepoint.scheduler.service.CheckpointCatalog;
import dev.savepoint.scheduler.service.RunService;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors as JSON with a message a user can act on: 400 bad input (naming the field, or the body), 404 unknown run,
 * 409 illegal transition.
 */
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

    @ServerExceptionMapper
    public Response forkConflict(CheckpointCatalog.ForkConflictException e) {
        return error(Response.Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response catalogUnavailable(CheckpointCatalog.CatalogUnavailableException e) {
        return error(Response.Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    /** A body the framework could not map (e.g. a token request): 400 naming the field, or the body. */
    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        String field = e instanceof JsonMappingException jme ? dev.savepoint.contracts.Json.fieldPath(jme) : "";
        String why = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().lines().findFirst().orElse("");
        return error(Response.Status.BAD_REQUEST, field.isEmpty() ? "request body is not valid JSON of the "
                + "expected shape: " + why : "field '" + field + "' is invalid: " + why);
    }

    /** Quarkus maps these two itself, without a message; they are refused like any bad JSON. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return badJson(e);
    }

    /** Quarkus answers this one with a 500 of its own; a body that does not fit its record is the caller's error. */
    @ServerExceptionMapper
    public Response invalidDefinition(com.fasterxml.jackson.databind.exc.InvalidDefinitionException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return badJson(e);
    }

    /** Errors the framework raises itself without a body (e.g. an unparseable request body): a JSON message too. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response response = e.getResponse();
        if (response.hasEntity()) {
            return response;
        }
        String message = response.getStatus() == 400 ? "request body is not valid JSON of the expected shape"
                : e.getMessage();
        return error(Response.Status.fromStatusCode(response.getStatus()), message);
    }

    private static Response error(Response.Status status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("message", message)).build();
    }
}
