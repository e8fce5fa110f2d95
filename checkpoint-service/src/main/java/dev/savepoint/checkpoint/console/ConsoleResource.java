package dev.savepoint.checkpoint.console;

import dev.savepoint.checkpoint.console.ConsoleViews.RunPage;
import dev.savepoint.checkpoint.console.ConsoleViews.RunsPage;
import dev.savepoint.checkpoint.rest.CheckpointResource;
import dev.savepoint.security.ApiTokenAuthenticationMechanism;
import dev.savepoint.security.ApiTokenIdentityProvider;
import dev.savepoint.security.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.sql.SQLException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The web console's pages: the runs list (filter, keyset pages, live updates by server-sent events), a run's story
 * (chart, checkpoints, attempts, lineage), the spec editor, downloads, and the sign-in. Actions are
 * {@link ConsoleActions}. Pages are whole without JavaScript; scripts only add live updates and validation as you type.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
public class ConsoleResource {

    private static final Logger LOG = Logger.getLogger(ConsoleResource.class);

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance runs(RunsPage page);

        static native TemplateInstance runs$rows(RunsPage page);

        static native TemplateInstance run(RunPage page);

        static native TemplateInstance submit(String spec, java.util.List<SpecCheck.FieldError> errors,
                String problem);
    }

    private final ConsoleService console;
    private final CheckpointResource checkpoints;
    private final ApiTokenIdentityProvider tokens;
    private final SecurityIdentity identity;
    private final dev.savepoint.checkpoint.config.CheckpointConfig config;
    private final PartsStatus parts;

    public ConsoleResource(ConsoleService console, CheckpointResource checkpoints, ApiTokenIdentityProvider tokens,
            SecurityIdentity identity, dev.savepoint.checkpoint.config.CheckpointConfig config, PartsStatus parts) {
        this.parts = parts;
        this.console = console;
        this.checkpoints = checkpoints;
        this.tokens = tokens;
        this.identity = identity;
        this.config = config;
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

    /** The runs, newest first: {@code q} filters by a part of the name or run id, {@code state} by state. */
    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    public TemplateInstance runs(@QueryParam("q") String q, @QueryParam("state") String state,
            @QueryParam("after") String after, @Context HttpHeaders headers) {
        Caller caller = Caller.of(headers, identity);
        return Templates.runs(console.runs(q, state, after, caller.authorization(), caller.operator()));
    }

    /** The rows of the runs list alone, which the live page fetches again when the list changed. */
    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/rows")
    public TemplateInstance rows(@QueryParam("q") String q, @QueryParam("state") String state,
            @QueryParam("after") String after, @Context HttpHeaders headers) {
        Caller caller = Caller.of(headers, identity);
        return Templates.runs$rows(console.runs(q, state, after, caller.authorization(), caller.operator()));
    }

    /**
     * Server-sent events for the live runs list: an event {@code runs} whenever a run changed (checked every
     * {@code savepoint.console.live-period}); the page then fetches its rows again.
     */
    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.TEXT_PLAIN)
    public Multi<String> events() {
        return Multi.createFrom().ticks().every(config.console().livePeriod())
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(tick -> console.runsStamp())
                .skip().repetitions();
    }

    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/runs/{runId}")
    public TemplateInstance run(@PathParam("runId") String runId, @QueryParam("page") Integer page,
            @Context HttpHeaders headers) {
        Caller caller = Caller.of(headers, identity);
        return Templates.run(console.run(runId, page == null ? 0 : page, caller.authorization(), caller.operator()));
    }

    /** A checkpoint's file for a browser signed in with the cookie (which is sent to /console only). */
    @RolesAllowed({Role.VIEWER_NAME})
    @GET
    @Path("/checkpoints/{id}/files/{name}")
    @Produces(MediaType.WILDCARD)
    public Response file(@PathParam("id") String id, @PathParam("name") String name) {
        return checkpoints.file(id, name);
    }

    /** The spec editor (operators submit; it validates as you type against the API's validator). */
    @RolesAllowed({Role.OPERATOR_NAME})
    @GET
    @Path("/submit")
    public TemplateInstance submitForm() {
        return Templates.submit(SpecCheck.EXAMPLE, java.util.List.of(), null);
    }

    /**
     * A page the catalog could not be read for. When PostgreSQL is not answering (a connection failure, or the parts
     * check found it down) the answer is a 503 page naming it and every other part that is down, not a 500; any
     * other database error is this service's fault, a 500 that points at its log.
     */
    @ServerExceptionMapper
    public Response catalogUnavailable(jakarta.persistence.PersistenceException e) {
        if (!connectionFailure(e) && !parts.catalogDown()) {
            LOG.error("a console page failed reading the catalog", e);
            return Response.serverError().type(MediaType.TEXT_HTML).entity(page("The console failed reading the "
                    + "catalog; checkpoint-service's log has the error.")).build();
        }
        LOG.warnf("a console page could not read the catalog: %s", e.getMessage());
        StringBuilder b = new StringBuilder("<p role=\"alert\" id=\"catalog-down\"><strong>PostgreSQL (the catalog) "
                + "is not answering</strong>, so this page cannot be shown. Checkpoint events wait in Kafka and are "
                + "cataloged when it returns; training goes on.</p>");
        var down = parts.outages();
        if (!down.isEmpty()) {
            b.append("<p>Down as of the last check:</p><ul>");
            down.forEach(o -> b.append("<li><strong>").append(escape(o.part())).append("</strong> since ")
                    .append(o.sinceText()).append(": ").append(escape(o.why())).append("</li>"));
            b.append("</ul>");
        }
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.TEXT_HTML).header("Retry-After", "5")
                .entity(page(b.toString())).build();
    }

    /** Whether the failure is the database not answering: an SQL state of class 08 or 57P, or the pool's timeout. */
    static boolean connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P"))) {
                    return true;
                }
                if (String.valueOf(sql.getMessage()).contains("Acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String page(String body) {
        return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Savepoint: unavailable</title>"
                + "<meta http-equiv=\"refresh\" content=\"5\"></head><body><h1>Savepoint console</h1>" + body
                + "</body></html>";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
