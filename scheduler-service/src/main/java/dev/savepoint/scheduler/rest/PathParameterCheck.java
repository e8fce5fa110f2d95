package dev.savepoint.scheduler.rest;

import dev.savepoint.contracts.Ids;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Checks every path parameter of every endpoint against the contracts' pattern ({@link Ids}) once, after routing and
 * before the resource method: a NUL byte, a path traversal or an over-long id is a 400 naming the parameter instead
 * of reaching PostgreSQL or S3, and so is a path whose percent-encoding does not decode.
 */
public class PathParameterCheck {

    @ServerRequestFilter
    public Optional<Response> checkPathParameters(UriInfo uri, ResourceInfo resource) {
        return Ids.pathParametersProblem(() -> uri.getPathParameters(true), routeParameters(resource)).map(problem -> Response
                .status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("message", problem)).build());
    }

    private static List<String> routeParameters(ResourceInfo resource) {
        Class<?> type = resource.getResourceClass();
        var method = resource.getResourceMethod();
        Path onType = type == null ? null : type.getAnnotation(Path.class);
        Path onMethod = method == null ? null : method.getAnnotation(Path.class);
        return Ids.templateParameters(onType == null ? null : onType.value(),
                onMethod == null ? null : onMethod.value());
    }
}
