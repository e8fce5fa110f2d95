package dev.savepoint.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The CLI's checkpoint commands against checkpoint-service. */
final class CheckpointCommands {

    private final ApiClient api;
    private final PrintStream out;
    private final boolean json;

    CheckpointCommands(ApiClient api, PrintStream out, boolean json) {
        this.api = api;
        this.out = out;
        this.json = json;
    }

    int list(String runId) {
        ArrayNode all = Json.mapper().createArrayNode();
        for (int page = 0; ; page++) {
            JsonNode answer = api.checkpoints("GET", "/api/runs/" + runId + "/checkpoints?size=500&page=" + page,
                    null);
            answer.path("items").forEach(all::add);
            if (all.size() >= answer.path("total").asLong() || answer.path("items").isEmpty()) {
                break;
            }
        }
        if (json) {
            ApiCli.printJson(out, all);
            return 0;
        }
        Table table = new Table("CHECKPOINT", "STEP", "ATTEMPT", "STATE", "BYTES", "LOSS", "PINNED", "RETENTION");
        for (JsonNode c : all) {
            JsonNode retention = c.path("retention");
            String why = retention.hasNonNull("keptBy") ? "kept: " + retention.get("keptBy").asText()
                    : retention.hasNonNull("deleteReason") ? "deleted: " + retention.get("deleteReason").asText() : "-";
            table.row(c.path("id").asText(), c.path("step").asLong(), c.path("attempt").asInt(),
                    c.path("state").asText(), c.path("totalBytes").asLong(), RunCommands.text(c.path("metrics"), "loss"),
                    c.path("pinned").asBoolean() ? "yes" : "", why);
        }
        table.print(out);
        return 0;
    }

    int change(String id, String what) {
        JsonNode answer = switch (what) {
            case "pin" -> api.checkpoints("POST", "/api/checkpoints/" + id + "/pin", new byte[0]);
            case "unpin" -> api.checkpoints("DELETE", "/api/checkpoints/" + id + "/pin", null);
            default -> api.checkpoints("DELETE", "/api/checkpoints/" + id, null);
        };
        if (json) {
            ApiCli.printJson(out, answer);
        } else {
            out.printf("checkpoint %s  step %d  %s%s%n", answer.path("id").asText(), answer.path("step").asLong(),
                    answer.path("state").asText(), answer.path("pinned").asBoolean() ? "  pinned" : "");
        }
        return 0;
    }

    /**
     * Downloads every file of a checkpoint and its manifest into {@code DIR/<id>/}, each file's SHA-256 checked
     * against the catalog's on the way (a mismatch is a failure, exit 1, and the file is removed).
     */
    int download(String id, Path to) {
        JsonNode checkpoint = api.checkpoints("GET", "/api/checkpoints/" + id, null);
        Path dir = to.resolve(checkpoint.path("id").asText());
        ArrayNode written = Json.mapper().createArrayNode();
        try {
            Files.createDirectories(dir);
            fetch(id, "manifest.json", null, dir);
            for (JsonNode f : checkpoint.path("files")) {
                Path file = fetch(id, f.path("name").asText(), f.path("sha256").asText(), dir);
                written.addObject().put("name", f.path("name").asText()).put("path", file.toString())
                        .put("size", f.path("size").asLong()).put("sha256", f.path("sha256").asText());
            }
        } catch (IOException e) {
            throw new ApiClient.ApiException("cannot write into " + dir + ": " + e, ApiCli.EXIT_FAILURE);
        }
        if (json) {
            ApiCli.printJson(out, written);
        } else {
            written.forEach(f -> out.printf("%s  %d bytes  sha256 %s%n", f.path("path").asText(),
                    f.path("size").asLong(), f.path("sha256").asText()));
        }
        return 0;
    }

    private Path fetch(String id, String name, String sha256, Path dir) throws IOException {
        Path file = dir.resolve(name).normalize();
        if (!dir.normalize().equals(file.getParent())) {
            throw new ApiClient.ApiException("checkpoint " + id + " names a file '" + name + "' outside its folder; "
                    + "nothing written for it", ApiCli.EXIT_FAILURE);
        }
        MessageDigest digest = sha256();
        try (InputStream in = api.download("/api/checkpoints/" + id + "/files/" + name).body();
                OutputStream o = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            in.transferTo(o);
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (sha256 != null && !sha256.equals(actual)) {
            Files.deleteIfExists(file);
            throw new ApiClient.ApiException("file " + name + " of checkpoint " + id + " arrived with SHA-256 "
                    + actual + " but the catalog says " + sha256 + "; removed", ApiCli.EXIT_FAILURE);
        }
        return file;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
