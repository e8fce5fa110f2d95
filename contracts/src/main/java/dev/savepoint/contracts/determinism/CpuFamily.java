package dev.savepoint.contracts.determinism;

import java.util.Locale;
import java.util.Map;

/**
 * The CPU a run's checkpoints were computed on, from their determinism fingerprint ({@code cpuVendor} and
 * {@code cpuModel}): a strict run's later attempts must run on the same one to resume bit-exact. On Kubernetes the
 * scheduler places them on nodes labelled with {@link #nodeLabels()}; a cluster admin labels each node once with the
 * same values (README "Deploy to Kubernetes": {@link #labelValue} as a shell pipeline over {@code /proc/cpuinfo}).
 *
 * @param vendor {@code vendor_id} of the CPU (GenuineIntel, AuthenticAMD)
 * @param model the CPU's model name as {@code /proc/cpuinfo} prints it
 */
public record CpuFamily(String vendor, String model) {

    /** The node label holding {@link #labelValue} of the CPU's {@code vendor_id}. */
    public static final String VENDOR_LABEL = "savepoint.dev/cpu-vendor";
    /** The node label holding {@link #labelValue} of the CPU's model name. */
    public static final String MODEL_LABEL = "savepoint.dev/cpu-model";

    /** The CPU of a fingerprint; null when it has none or names no vendor and model. */
    public static CpuFamily of(DeterminismFingerprint fingerprint) {
        if (fingerprint == null || fingerprint.cpuVendor() == null || fingerprint.cpuModel() == null) {
            return null;
        }
        return new CpuFamily(fingerprint.cpuVendor(), fingerprint.cpuModel());
    }

    /** The node labels (name to value) of nodes with this CPU. */
    public Map<String, String> nodeLabels() {
        return Map.of(VENDOR_LABEL, labelValue(vendor), MODEL_LABEL, labelValue(model));
    }

    /**
     * A Kubernetes label value for free text: lower case, every run of characters other than a-z and 0-9 one '-',
     * no '-' at either end, at most 63 characters. "Intel(R) Xeon(R) CPU @ 2.20GHz" is
     * {@code intel-r-xeon-r-cpu-2-20ghz}. The shell equivalent: {@code tr 'A-Z' 'a-z' | sed -E
     * 's/[^a-z0-9]+/-/g; s/^-+//' | cut -c1-63 | sed -E 's/-+$//'}.
     */
    public static String labelValue(String text) {
        String value = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+", "");
        return value.substring(0, Math.min(63, value.length())).replaceAll("-+$", "");
    }
}
