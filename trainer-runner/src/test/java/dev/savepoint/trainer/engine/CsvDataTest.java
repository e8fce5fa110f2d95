package dev.savepoint.trainer.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** CSV parsing: label column choice, header handling, and errors that point at the bad row and value. */
class CsvDataTest {

    @Test
    void lastColumnIsTheLabelByDefault() {
        CsvData data = CsvData.parse(new StringReader("a,b,label\n1,2,0\n3.5,-4,2\n"), null, true, 0L);
        assertEquals(2, data.sampleCount());
        assertEquals(2, data.featureCount());
        assertEquals(3, data.classCount());
        assertArrayEquals(new float[] {1, 2, 3.5f, -4}, data.features());
        assertArrayEquals(new int[] {0, 2}, data.labels());
    }

    @Test
    void labelColumnCanBeChosen() {
        CsvData data = CsvData.parse(new StringReader("1,0.5,0.25\n0,1.5,1.25\n"), 0, false, 0L);
        assertArrayEquals(new int[] {1, 0}, data.labels());
        assertArrayEquals(new float[] {0.5f, 0.25f, 1.5f, 1.25f}, data.features());
    }

    @Test
    void badRowErrorNamesTheRowAndValue() {
        String csv = "x1,x2,y\n1,2,0\n3,4,1\n5,oops,1\n";
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CsvData.parse(new StringReader(csv), null, true, 0L));
        assertTrue(error.getMessage().contains("row 4"), error.getMessage());
        assertTrue(error.getMessage().contains("'oops'"), error.getMessage());
    }

    @Test
    void fractionalLabelIsRejectedWithItsRow() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CsvData.parse(new StringReader("1,2,0\n1,2,1.5\n"), null, false, 0L));
        assertTrue(error.getMessage().contains("row 2") && error.getMessage().contains("'1.5'"), error.getMessage());
    }

    @Test
    void shortRowIsRejectedWithItsRow() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> CsvData.parse(new StringReader("1,2,0\n1,2\n"), null, false, 0L));
        assertTrue(error.getMessage().contains("row 2"), error.getMessage());
    }
}
