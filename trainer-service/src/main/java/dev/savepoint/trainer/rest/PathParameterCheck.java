package dev.savepoint.trainer.rest;

import dev.savepoint.contracts.Ids;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every path parameter of every endpoint against the contracts' pattern ({@link Ids}) once, after routing and
 * before the resource method: a NUL byte, a path traversal or an over-long id is a 400 naming the parameter instead
 * of reaching PostgreSQL or S3.
 */
public class PathParameterCheck {

    @ServerRequestFilter
    public Optional<Response> checkPathParameters(UriInfo uri) {
        return Ids.pathParametersProblem(uri.getPathParameters(true)).map(problem -> Response
                .status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", problem)).build());
    }
}
