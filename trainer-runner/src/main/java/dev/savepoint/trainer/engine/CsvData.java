package dev.savepoint.trainer.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A data set parsed from comma-separated text: numeric feature columns and one integer label column (the last
 * unless told otherwise). Errors name the 1-based line, the column and the value, so a user can fix the file.
 */
public final class CsvData implements TabularData {

    private final int featureCount;
    private final int classCount;
    private final long orderSeed;
    private final float[] features;
    private final int[] labels;

    private CsvData(int featureCount, float[] features, int[] labels, long orderSeed) {
        this.featureCount = featureCount;
        this.features = features;
        this.labels = labels;
        this.orderSeed = orderSeed;
        int maxLabel = 0;
        for (int label : labels) {
            maxLabel = Math.max(maxLabel, label);
        }
        this.classCount = maxLabel + 1;
    }

    public static CsvData parse(InputStream in, Integer labelColumn, boolean header, long orderSeed) {
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8), labelColumn, header, orderSeed);
    }

    /**
     * @param labelColumn 0-based index of the label column; negative counts from the end; null means the last
     */
    public static CsvData parse(Reader reader, Integer labelColumn, boolean header, long orderSeed) {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        int label = -1;
        try (BufferedReader lines = new BufferedReader(reader)) {
            int lineNumber = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isBlank() || (header && lineNumber == 1)) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (columns < 0) {
                    columns = cells.length;
                    label = labelIndex(labelColumn, columns, lineNumber);
                } else if (cells.length != columns) {
                    throw new IllegalArgumentException("CSV row " + lineNumber + " has " + cells.length
                            + " columns, earlier rows have " + columns + ": '" + line + "'");
                }
                rows.add(featuresOf(cells, label, lineNumber));
                labels.add(labelOf(cells[label], label, lineNumber));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read CSV data", e);
        }
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("CSV data has no rows" + (header ? " after the header" : ""));
        }
        return new CsvData(columns - 1, flatten(rows, columns - 1), labels.stream().mapToInt(Integer::intValue).toArray(), orderSeed);
    }

    private static int labelIndex(Integer labelColumn, int columns, int lineNumber) {
        int index = labelColumn == null ? columns - 1 : labelColumn < 0 ? columns + labelColumn : labelColumn;
        if (columns < 2 || index < 0 || index >= columns) {
            throw new IllegalArgumentException("CSV row " + lineNumber + " has " + columns + " columns; label column "
                    + labelColumn + " must leave at least one feature column (0-based, negative counts from the end)");
        }
        return index;
    }

    private static float[] featuresOf(String[] cells, int label, int lineNumber) {
        float[] row = new float[cells.length - 1];
        int out = 0;
        for (int c = 0; c < cells.length; c++) {
            if (c == label) {
                continue;
            }
            String cell = cells[c].trim();
            try {
                row[out] = Float.parseFloat(cell);
            } catch (NumberFormatException e) {
                throw badValue(lineNumber, c, cell, "is not a number");
            }
            if (!Float.isFinite(row[out++])) {
                throw badValue(lineNumber, c, cell, "is not a finite number");
            }
        }
        return row;
    }

    private static int labelOf(String raw, int column, int lineNumber) {
        String cell = raw.trim();
        try {
            int value = Integer.parseInt(cell);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            throw badValue(lineNumber, column, cell, "is not an integer class label");
        }
        throw badValue(lineNumber, column, cell, "is a negative class label");
    }

    private static IllegalArgumentException badValue(int lineNumber, int column, String value, String problem) {
        return new IllegalArgumentException("CSV row " + lineNumber + ", column " + (column + 1) + ": value '" + value
                + "' " + problem);
    }

    private static float[] flatten(List<float[]> rows, int width) {
        float[] flat = new float[rows.size() * width];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(rows.get(r), 0, flat, r * width, width);
        }
        return flat;
    }

    @Override
    public int sampleCount() {
        return labels.length;
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public int classCount() {
        return classCount;
    }

    @Override
    public long orderSeed() {
        return orderSeed;
    }

    @Override
    public float[] features() {
        return features;
    }

    @Override
    public int[] labels() {
        return labels;
    }
}
