package dev.savepoint.checkpoint.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.savepoint.checkpoint.CatalogException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every API error as JSON {@code {"message": ...}} naming what was wrong: 404, 409, or 400 naming the field; with a
 * {@code reason} where a caller acts on the kind of refusal (e.g. RUN_UNKNOWN, NO_COMMITTED_CHECKPOINT).
 */
public class ApiErrors {

    /** The body of every error response; {@code reason} is left out when there is none. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String message, String reason) {
    }

    static Response error(Response.Status status, String message) {
        return error(status, message, null);
    }

    static Response error(Response.Status status, String message, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ErrorBody(message, reason))
                .build();
    }

    @ServerExceptionMapper
    public Response catalog(CatalogException e) {
        Response.Status status = switch (e.kind()) {
            case NOT_FOUND -> Response.Status.NOT_FOUND;
            case CONFLICT -> Response.Status.CONFLICT;
            case INVALID -> Response.Status.BAD_REQUEST;
        };
        return error(status, e.getMessage(), e.reason());
    }

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

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response parse(JsonParseException e) {
        return error(Response.Status.BAD_REQUEST, "request body is not valid JSON: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(Response.Status.BAD_REQUEST, "request body is not valid JSON: " + e.getOriginalMessage());
    }

    /** Errors the framework raises itself (e.g. an unparseable body is a bare 400): given a JSON message too. */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Response response = e.getResponse();
        if (response.hasEntity()) {
            return response;
        }
        String message = response.getStatus() == 400
                ? "request body is not valid JSON (or does not fit the expected shape); send e.g. "
                        + "{\"ttlSeconds\": 300, \"holder\": \"restore-1\"}"
                : e.getMessage();
        return error(Response.Status.fromStatusCode(response.getStatus()), message);
    }

    private static Response badJson(JsonMappingException e) {
        String field = dev.savepoint.contracts.Json.fieldPath(e);
        String message = field.isEmpty()
                ? "request body does not fit: " + e.getOriginalMessage()
                : "field '" + field + "' is invalid: " + e.getOriginalMessage().lines().findFirst().orElse("");
        return error(Response.Status.BAD_REQUEST, message);
    }
}
