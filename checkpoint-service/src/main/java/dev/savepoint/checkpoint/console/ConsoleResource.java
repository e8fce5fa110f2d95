package dev.savepoint.checkpoint.console;

import dev.savepoint.checkpoint.rest.RunResource;
import dev.savepoint.security.ApiTokenAuthenticationMechanism;
import dev.savepoint.security.ApiTokenIdentityProvider;
import dev.savepoint.security.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
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
    private final ApiTokenIdentityProvider tokens;

    public ConsoleResource(RunResource api, ApiTokenIdentityProvider tokens) {
        this.api = api;
        this.tokens = tokens;
    }

    /** The sign-in form: the console is for holders of an API token with the viewer role or above. */
    @PermitAll
    @GET
    @Path("/login")
    public String loginForm() {
        return loginPage("");
    }

    /**
     * Signs in with an API token: a valid one of role viewer or above is kept in an HTTP-only, SameSite=Strict cookie
     * (scripts cannot read it, other sites cannot send it) and the browser goes on to the runs; any other is refused.
     */
    @PermitAll
    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@FormParam("token") String token) {
        boolean viewer = tokens.roleOf(token).map(r -> r.grants().contains(Role.VIEWER_NAME)).orElse(false);
        if (!viewer) {
            return Response.status(Response.Status.UNAUTHORIZED).type(MediaType.TEXT_HTML)
                    .entity(loginPage("That token is unknown, expired, revoked or not allowed to view runs."))
                    .build();
        }
        return Response.seeOther(URI.create("/console")).header("Set-Cookie", ApiTokenAuthenticationMechanism.COOKIE
                + "=" + token.trim() + "; Path=/console; HttpOnly; SameSite=Strict").build();
    }

    private static String loginPage(String problem) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Savepoint: sign in</title></head><body>"
                + "<h1>Savepoint console</h1>"
                + (problem.isEmpty() ? "" : "<p role=\"alert\">" + problem + "</p>")
                + "<form method=\"post\" action=\"/console/login\"><label>API token "
                + "<input type=\"password\" name=\"token\" autocomplete=\"off\" required></label> "
                + "<button type=\"submit\">Sign in</button></form>"
                + "<p>./savepoint up printed an admin token and stored it in .savepoint/token; "
                + "<code>./savepoint token create --role viewer</code> makes one to share.</p></body></html>";
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    public TemplateInstance runs(@QueryParam("page") Integer page) {
        var runs = api.runs(page, 50);
        return Templates.runs(runs.items(), runs.page(), runs.total());
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/runs/{runId}")
    public TemplateInstance run(@PathParam("runId") String runId) {
        return Templates.run(api.run(runId), api.attempts(runId), api.checkpoints(runId, null, 0, 200).items());
    }
}
