package dev.savepoint.bench;

import dev.savepoint.contracts.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** {@code bench/results/}: one JSON file per figure, written by its last run; the page is drawn from all of them. */
final class ResultFiles {

    private final Path folder;

    ResultFiles(Path folder) {
        this.folder = folder;
    }

    Path folder() {
        return folder;
    }

    void write(Result result) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve(result.figure() + ".json"),
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
    }

    /** Every result file, by figure name. */
    List<Result> all() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Result> results = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                results.add(Json.mapper().readValue(f.toFile(), Result.class));
            }
        }
        results.sort(Comparator.comparing(Result::figure));
        return results;
    }
}
