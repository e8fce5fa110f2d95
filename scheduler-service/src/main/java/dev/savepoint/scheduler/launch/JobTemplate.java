package dev.savepoint.scheduler.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The attempt Job template, deploy/kubernetes/base/attempt-job.yaml: one YAML document per trainer type (annotation
 * {@value #TYPE_ANNOTATION}) whose {@code ${name}} values the launcher fills ({@link #render}). Read from the path the
 * scheduler is configured with (the ConfigMap kustomize generates from that file), else from the copy of the same
 * file that the build puts into the jar beside this class. A template that names a value the launcher does not fill,
 * or lacks a trainer type, is refused when it is loaded, so the scheduler does not start with it.
 */
final class JobTemplate {

    /** The annotation that says which trainer type a document of the template is for. */
    static final String TYPE_ANNOTATION = "savepoint.dev/trainer-type";
    /** The trainer types: the built-in DJL trainer and a command run. */
    static final String BUILT_IN = "built-in";
    static final String COMMAND = "command";
    /** The packaged copy's name, beside this class. */
    static final String PACKAGED = "attempt-job.yaml";

    /** The values the launcher fills (see the template's header). */
    static final Set<String> VALUES = Set.of("name", "runId", "runLabel", "attempt", "specConfigMap", "attemptSecret",
            "runnerImage", "attemptArgs", "restoreArgs", "watchArgs", "attemptEnv", "resources", "serviceAccount",
            "terminationGracePeriodSeconds", "activeDeadlineSeconds", "ttlSecondsAfterFinished", "affinity",
            "trainerImage", "trainerCommand", "trainerWorkingDir", "trainerEnv");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z]+)}");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final String source;
    private final Map<String, JsonNode> documents;

    private JobTemplate(String source, Map<String, JsonNode> documents) {
        this.source = source;
        this.documents = documents;
    }

    /** The template at {@code path}, or the packaged copy when none is configured. */
    static JobTemplate load(Optional<String> path) {
        if (path.filter(p -> !p.isBlank()).isPresent()) {
            Path file = Path.of(path.get());
            try {
                return parse(Files.readString(file), file.toString());
            } catch (IOException e) {
                throw new IllegalStateException("savepoint.scheduler.kubernetes.job-template: cannot read " + file
                        + " (" + e + "); mount the ConfigMap savepoint-attempt-job there, or unset the property to "
                        + "use the packaged template", e);
            }
        }
        try (InputStream in = JobTemplate.class.getResourceAsStream(PACKAGED)) {
            if (in == null) {
                throw new IllegalStateException(PACKAGED + " is missing beside " + JobTemplate.class
                        + ": the build copies it from deploy/kubernetes/base");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "the packaged " + PACKAGED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses and checks a template: both trainer types, Jobs, and only {@link #VALUES} as placeholders. */
    static JobTemplate parse(String yaml, String source) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        for (Object document : new Load(LoadSettings.builder().setLabel(source).build()).loadAllFromString(yaml)) {
            if (document == null) {
                continue;
            }
            JsonNode node = SERIALIZATION.convertValue(document, JsonNode.class);
            String type = node.path("metadata").path("annotations").path(TYPE_ANNOTATION).asText(null);
            if (!"Job".equals(node.path("kind").asText()) || type == null) {
                throw new IllegalStateException(source + ": every document must be a Job annotated with "
                        + TYPE_ANNOTATION + " (" + BUILT_IN + " or " + COMMAND + ")");
            }
            Set<String> unknown = new TreeSet<>();
            placeholders(node, "", unknown);
            if (!unknown.isEmpty()) {
                throw new IllegalStateException(source + " (" + type + "): " + String.join("; ", unknown)
                        + "; the launcher fills only " + new TreeSet<>(VALUES) + ", each as a whole value");
            }
            documents.put(type, node);
        }
        for (String type : List.of(BUILT_IN, COMMAND)) {
            if (!documents.containsKey(type)) {
                throw new IllegalStateException(source + " has no Job for trainer type " + type + " (annotation "
                        + TYPE_ANNOTATION + ": " + type + ")");
            }
        }
        return new JobTemplate(source, documents);
    }

    /** The Job of a trainer type with every {@code ${name}} replaced by {@code values.get(name)}. */
    Job render(String type, Map<String, ?> values) {
        JsonNode template = documents.get(type);
        if (template == null) {
            throw new IllegalArgumentException(source + " has no Job for trainer type " + type);
        }
        JsonNode filled = fill(template.deepCopy(), values);
        return SERIALIZATION.convertValue(filled, Job.class);
    }

    private static JsonNode fill(JsonNode node, Map<String, ?> values) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                Optional<String> name = placeholder(field.getValue());
                if (name.isPresent() && values.get(name.get()) == null) {
                    it.remove();
                } else {
                    field.setValue(name.isPresent() ? tree(values.get(name.get())) : fill(field.getValue(), values));
                }
            }
        } else if (node instanceof ArrayNode array) {
            List<JsonNode> items = new ArrayList<>();
            array.forEach(item -> {
                Optional<String> name = placeholder(item);
                Object value = name.map(values::get).orElse(null);
                if (name.isEmpty()) {
                    items.add(fill(item, values));
                } else if (value instanceof List<?> list) {
                    list.forEach(v -> items.add(tree(v))); // a list's items take the placeholder's place
                } else if (value != null) {
                    items.add(tree(value));
                }
            });
            array.removeAll();
            array.addAll(items);
        }
        return node;
    }

    private static JsonNode tree(Object value) {
        return SERIALIZATION.convertValue(value, JsonNode.class);
    }

    private static Optional<String> placeholder(JsonNode node) {
        if (!(node instanceof TextNode)) {
            return Optional.empty();
        }
        Matcher m = PLACEHOLDER.matcher(node.asText());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Collects what is wrong with the placeholders under {@code node}: unknown names, or part of a longer text. */
    private static void placeholders(JsonNode node, String path, Set<String> problems) {
        if (node.isContainerNode()) {
            if (node.isObject()) {
                node.fields().forEachRemaining(f -> placeholders(f.getValue(), path + "." + f.getKey(), problems));
            } else {
                for (int i = 0; i < node.size(); i++) {
                    placeholders(node.get(i), path + "[" + i + "]", problems);
                }
            }
            return;
        }
        Optional<String> name = placeholder(node);
        if (name.isPresent() && !VALUES.contains(name.get())) {
            problems.add(path.substring(1) + " names ${" + name.get() + "}, which is not a value the launcher fills");
        } else if (name.isEmpty() && node.isTextual() && node.asText().contains("${")) {
            problems.add(path.substring(1) + " holds a ${...} inside a longer text: " + node.asText());
        }
    }
}
