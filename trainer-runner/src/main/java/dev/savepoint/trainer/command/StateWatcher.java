package dev.savepoint.trainer.command;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Watches a trainer's output folder by polling (names, sizes and mtimes only) and tells which state folders are
 * complete: the marker file is there, or no file of the folder and of its beside files changed for the settle time and
 * its stepFrom file parses, and no file of it is held open by the trainer ({@link OpenFiles}: an open file restarts the
 * settle time, so a save stalled with a file open never looks complete). A folder's look (its files' sizes and mtimes)
 * is remembered with the time it was first seen, so a half-written folder left by a kill never looks settled at the
 * kill; the same name written again with other content is a new state.
 */
public final class StateWatcher {

    /** One file of a state: its path relative to the output folder, size and mtime. */
    public record FileStat(String path, long size, long mtimeNanos) {
    }

    /** A complete state, ready to upload: its folder name, files (sorted by path) and what it says. */
    public record Ready(String folder, List<FileStat> files, StateReader.Facts facts) {
    }

    private record Look(List<FileStat> files, long sinceNanos) {
    }

    private final Path output;
    private final StateNames names;
    private final StateReader reader;
    private final String marker;
    private final long settleNanos;
    private final LongSupplier clock;
    private final OpenFiles openFiles;
    private final Map<String, Look> looks = new HashMap<>();
    private final Map<String, List<FileStat>> taken = new HashMap<>();

    public StateWatcher(Path output, StateNames names, StateReader reader, String marker, long settleMillis,
            LongSupplier clock) {
        this(output, names, reader, marker, settleMillis, clock, OpenFiles.NONE);
    }

    StateWatcher(Path output, StateNames names, StateReader reader, String marker, long settleMillis,
            LongSupplier clock, OpenFiles openFiles) {
        this.openFiles = openFiles;
        this.output = output;
        this.names = names;
        this.reader = reader;
        this.marker = marker;
        this.settleNanos = TimeUnit.MILLISECONDS.toNanos(settleMillis);
        this.clock = clock;
    }

    /** Looks at the folder now and returns the states complete now, oldest counter first. */
    public List<Ready> poll() {
        long now = observe();
        return ready(now - settleNanos);
    }

    /**
     * After the trainer ended: a clean exit (0) closed every file, so each state whose stepFrom parses is complete;
     * after any other end only states that had settled by {@code deathNanos} are, never one it was still writing.
     */
    public List<Ready> afterExit(boolean clean, long deathNanos) {
        long now = observe();
        return ready(clean ? now : deathNanos - settleNanos);
    }

    /** The state was uploaded (or given up): this look of the folder is not offered again. */
    public void taken(Ready state) {
        taken.put(state.folder(), state.files());
    }

    /** The current look of one folder's files, to check that a copy did not race with the trainer. */
    public List<FileStat> look(String folder) {
        return stats(folder);
    }

    private long observe() {
        long now = clock.getAsLong();
        List<String> folders = stateFolders();
        looks.keySet().retainAll(folders);
        Set<Path> open = folders.isEmpty() ? Set.of() : openFiles.open();
        Path root = output.toAbsolutePath().normalize();
        for (String folder : folders) {
            List<FileStat> files = stats(folder);
            Look old = looks.get(folder);
            boolean writing = files.stream().anyMatch(f -> open.contains(root.resolve(f.path()).normalize()));
            if (old == null || !old.files().equals(files) || writing) {
                looks.put(folder, new Look(files, now));
            }
        }
        return now;
    }

    private List<Ready> ready(long settledBy) {
        List<Ready> ready = new ArrayList<>();
        for (var e : new TreeMap<>(looks).entrySet()) {
            String folder = e.getKey();
            Look look = e.getValue();
            if (look.files().isEmpty() || look.files().equals(taken.get(folder))) {
                continue;
            }
            boolean marked = marker != null && Files.exists(output.resolve(folder).resolve(marker));
            if (!marked && look.sinceNanos() > settledBy) {
                continue;
            }
            Optional<StateReader.Facts> facts = reader.read(output.resolve(folder));
            facts.ifPresent(f -> ready.add(new Ready(folder, look.files(), f)));
        }
        ready.sort(Comparator.comparingLong((Ready r) -> r.facts().counter()).thenComparing(Ready::folder));
        return ready;
    }

    private List<String> stateFolders() {
        try (Stream<Path> entries = Files.list(output)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> names.stem(n).isPresent()).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the trainer's output folder " + output, e);
        }
    }

    /** The files of a state folder and those beside it; empty when the folder vanished meanwhile. */
    private List<FileStat> stats(String folder) {
        List<FileStat> files = new ArrayList<>();
        try (Stream<Path> inside = Files.walk(output.resolve(folder)); Stream<Path> top = Files.list(output)) {
            for (Path p : inside.toList()) {
                stat(p).ifPresent(files::add);
            }
            for (Path p : top.filter(p -> names.isBeside(folder, p.getFileName().toString())).toList()) {
                stat(p).ifPresent(files::add);
            }
        } catch (IOException | UncheckedIOException e) {
            return List.of(); // deleted while listed (a trainer rotating its states): not a state any more
        }
        files.sort(Comparator.comparing(FileStat::path));
        return List.copyOf(files);
    }

    private Optional<FileStat> stat(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (!a.isRegularFile()) {
                return Optional.empty();
            }
            String rel = output.relativize(p).toString().replace('\\', '/');
            return Optional.of(new FileStat(rel, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
