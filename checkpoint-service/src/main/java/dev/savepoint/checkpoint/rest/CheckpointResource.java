package dev.savepoint.checkpoint.rest;

import dev.savepoint.checkpoint.CatalogException;
import dev.savepoint.checkpoint.Checkpoint;
import dev.savepoint.checkpoint.messaging.EventPublisher;
import dev.savepoint.checkpoint.rest.Requests.CorruptRequest;
import dev.savepoint.checkpoint.rest.Requests.ForkRequest;
import dev.savepoint.checkpoint.rest.Requests.LeaseRequest;
import dev.savepoint.checkpoint.rest.Responses.CheckpointBody;
import dev.savepoint.checkpoint.rest.Responses.LeaseBody;
import dev.savepoint.checkpoint.retention.CheckpointState;
import dev.savepoint.checkpoint.service.CatalogService;
import dev.savepoint.checkpoint.service.ForkBases;
import dev.savepoint.checkpoint.service.GcExecutor;
import dev.savepoint.checkpoint.service.LeaseService;
import dev.savepoint.checkpoint.service.RetentionService;
import dev.savepoint.checkpoint.storage.ObjectStore;
import dev.savepoint.contracts.checkpoint.CheckpointManifest;
import dev.savepoint.contracts.checkpoint.ManifestFile;
import dev.savepoint.security.Role;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.UUID;

/** History API of single checkpoints: details, file downloads, pins, leases, fork bases, deletion and corrupt marks. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class CheckpointResource {

    private final CatalogService catalog;
    private final LeaseService leases;
    private final RetentionService retention;
    private final GcExecutor gc;
    private final ObjectStore store;
    private final EventPublisher publisher;
    private final ForkBases forks;

    public CheckpointResource(CatalogService catalog, LeaseService leases, RetentionService retention, GcExecutor gc,
            ObjectStore store, EventPublisher publisher, ForkBases forks) {
        this.forks = forks;
        this.catalog = catalog;
        this.leases = leases;
        this.retention = retention;
        this.gc = gc;
        this.store = store;
        this.publisher = publisher;
    }

    @RolesAllowed({Role.VIEWER_NAME, Role.TRAINER_NAME})
    @GET
    @Path("/checkpoints/{id}")
    public CheckpointBody checkpoint(@PathParam("id") String id) {
        return CheckpointBody.of(catalog.checkpoint(id));
    }

    /** Streams one file of the checkpoint (or its manifest) from S3. */
    @RolesAllowed({Role.VIEWER_NAME, Role.TRAINER_NAME})
    @GET
    @Path("/checkpoints/{id}/files/{name}")
    @Produces(MediaType.WILDCARD)
    public Response file(@PathParam("id") String id, @PathParam("name") String name) {
        Checkpoint row = catalog.checkpoint(id);
        if (row.state == CheckpointState.DELETED || row.state == CheckpointState.PARTIALLY_DELETED
                || row.state == CheckpointState.DELETING) {
            throw CatalogException.notFound("checkpoint '" + id + "' is " + row.state + "; its files are gone");
        }
        boolean listed = name.equals(CheckpointManifest.FILE_NAME)
                || row.files.stream().map(ManifestFile::name).anyMatch(name::equals);
        if (!listed) {
            throw CatalogException.notFound("checkpoint '" + id + "' has no file '" + name + "'; it has "
                    + row.files.stream().map(ManifestFile::name).toList() + " and " + CheckpointManifest.FILE_NAME);
        }
        InputStream in = store.open(row.bucket, row.prefix + name).orElseThrow(() -> CatalogException.notFound(
                "file '" + name + "' of checkpoint '" + id + "' is missing from s3://" + row.bucket + "/" + row.prefix));
        StreamingOutput body = out -> {
            try (in) {
                in.transferTo(out);
            }
        };
        String type = name.endsWith(".json") ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM;
        var response = Response.ok(body, type).header("Content-Disposition", "attachment; filename=\"" + name + "\"");
        row.files.stream().filter(f -> f.name().equals(name)).findFirst()
                .ifPresent(f -> response.header("Content-Length", f.size()).header("X-Checkpoint-SHA256", f.sha256()));
        return response.build();
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @POST
    @Path("/checkpoints/{id}/pin")
    public CheckpointBody pin(@PathParam("id") String id) {
        return CheckpointBody.of(catalog.pin(id, true));
    }

    @RolesAllowed({Role.OPERATOR_NAME})
    @DELETE
    @Path("/checkpoints/{id}/pin")
    public CheckpointBody unpin(@PathParam("id") String id) {
        return CheckpointBody.of(catalog.pin(id, false));
    }

    /** Deletes the objects, then the row becomes DELETED (PARTIALLY_DELETED if some remain); 409 when protected. */
    @RolesAllowed({Role.OPERATOR_NAME})
    @DELETE
    @Path("/checkpoints/{id}")
    public CheckpointBody delete(@PathParam("id") String id) {
        retention.claimForUser(id).ifPresent(target -> gc.delete(target, "user"));
        return CheckpointBody.of(catalog.checkpoint(id));
    }

    @RolesAllowed({Role.TRAINER_NAME})
    @POST
    @Path("/checkpoints/{id}/lease")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lease(@PathParam("id") String id, LeaseRequest request) {
        Requests.required(request, "{\"ttlSeconds\": 300, \"holder\": \"...\"}").check();
        LeaseBody lease = LeaseBody.of(leases.lease(id, request.ttlSeconds(), request.holder()));
        return Response.status(Response.Status.CREATED).entity(lease).build();
    }

    /**
     * Records that run {@code childRunId} is forked from this checkpoint of run {@code runId} (the scheduler calls it
     * when a user forks): the checkpoint is kept for the child from then on. 404 unknown, 400 another run's, 409 not
     * COMMITTED.
     */
    @RolesAllowed({Role.TRAINER_NAME})
    @POST
    @Path("/checkpoints/{id}/forks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response fork(@PathParam("id") String id, ForkRequest request) {
        Requests.required(request, "{\"runId\": \"...\", \"childRunId\": \"...\"}").check();
        forks.hold(id, request.runId(), request.childRunId());
        return Response.status(Response.Status.CREATED).entity(CheckpointBody.of(catalog.checkpoint(id))).build();
    }

    @RolesAllowed({Role.TRAINER_NAME})
    @DELETE
    @Path("/leases/{leaseId}")
    public Response release(@PathParam("leaseId") UUID leaseId) {
        leases.release(leaseId);
        return Response.noContent().build();
    }

    /** Marks the checkpoint CORRUPT (never served as latest again) and tells the other services. */
    @RolesAllowed({Role.OPERATOR_NAME, Role.TRAINER_NAME})
    @POST
    @Path("/checkpoints/{id}/corrupt")
    @Consumes(MediaType.APPLICATION_JSON)
    public CheckpointBody corrupt(@PathParam("id") String id, CorruptRequest request) {
        CorruptRequest body = request == null ? new CorruptRequest(null, null) : request;
        publisher.publish(catalog.markCorrupt(id, body.fileName(), body.message()));
        return CheckpointBody.of(catalog.checkpoint(id));
    }
}
