package dev.savepoint.trainer.engine;

import dev.savepoint.contracts.spec.DataSpec;
import dev.savepoint.contracts.spec.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Turns a {@link DataSpec} into training data; the caller fetches the CSV or text bytes (a local file, a local text
 * folder through {@link TextData#open}, or S3) and hands them in.
 */
public final class DataSources {

    /** Used when a synthetic spec leaves {@code samples} out. */
    public static final int DEFAULT_SYNTHETIC_SAMPLES = 4096;

    private DataSources() {
    }

    /**
     * @param csv the CSV or text contents for {@code type=csv} or {@code text}; ignored (may be null) for synthetic data
     */
    public static TrainingData fromSpec(DataSpec data, ModelSpec model, InputStream csv) {
        switch (data.type()) {
            case "synthetic":
                int samples = data.samples() == null ? DEFAULT_SYNTHETIC_SAMPLES : data.samples();
                int classes = data.classes() == null ? model.outputs() : data.classes();
                return new SyntheticData(samples, model.inputs(), classes, data.seed());
            case "csv":
                if (csv == null) {
                    throw new IllegalArgumentException("data.type=csv needs the contents of " + data.path() + ", got none");
                }
                return CsvData.parse(csv, data.labelColumn(), data.header(), data.seed());
            case "text":
                if (csv == null) {
                    throw new IllegalArgumentException("data.type=text needs the contents of " + data.path() + ", got none");
                }
                try {
                    return TextData.read(csv, model.seqLen(), data.seed());
                } catch (IOException e) {
                    throw new UncheckedIOException("could not read the text of " + data.path(), e);
                }
            default:
                throw new IllegalArgumentException("unknown data.type '" + data.type() + "'; expected one of " + DataSpec.TYPES);
        }
    }
}
