package dev.savepoint.contracts.checkpoint;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a sharded tensor file, as the Hugging Face libraries write them: {@code model-00001-of-00003.safetensors}
 * ... beside {@code model.safetensors.index.json}, whose {@code weight_map} names each tensor's shard. A checkpoint
 * whose tensors fit one shard keeps the single {@code model.safetensors}.
 */
public final class ShardNames {

    private static final Pattern SHARD = Pattern.compile("(.+)-(\\d{5})-of-(\\d{5})\\.safetensors");
    private static final String SUFFIX = ".safetensors";

    private ShardNames() {
    }

    /** One shard's place: the file set it belongs to ({@code model}), its number (1-based) and the count. */
    public record Shard(String base, int number, int count) {
    }

    /** {@code base-0000i-of-0000n.safetensors}. */
    public static String shard(String base, int number, int count) {
        return String.format("%s-%05d-of-%05d%s", base, number, count, SUFFIX);
    }

    /** {@code base.safetensors.index.json}. */
    public static String index(String base) {
        return base + SUFFIX + ".index.json";
    }

    /** {@code base.safetensors}, the single-file name. */
    public static String single(String base) {
        return base + SUFFIX;
    }

    /** The shard a file name is, or empty when it is not a shard name. */
    public static Optional<Shard> parse(String fileName) {
        Matcher m = SHARD.matcher(fileName);
        return m.matches() ? Optional.of(new Shard(m.group(1), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)))) : Optional.empty();
    }

    /** The shards of {@code base} among {@code files}, in shard order. */
    public static List<ManifestFile> shardsOf(String base, List<ManifestFile> files) {
        return files.stream().filter(f -> parse(f.name()).map(s -> s.base().equals(base)).orElse(false))
                .sorted(Comparator.comparing(ManifestFile::name)).toList();
    }
}
