package dev.savepoint.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./savepoint chaos} refuses bad usage with exit code 2 naming the option, before it touches the stack. */
class ChaosCliTest {

    @Test
    void minutesOutOfRangeIsBadUsageNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StackCli.run(List.of("chaos", "--minutes", "0"), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--minutes must be between 1 and 1440, got 0"), err.toString());
    }

    @Test
    void aSeedThatIsNoNumberIsBadUsageNamingTheOption() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = StackCli.run(List.of("chaos", "--minutes", "1", "--seed", "abc"),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, code);
        assertTrue(err.toString().contains("--seed must be a whole number, got 'abc'"), err.toString());
    }
}
