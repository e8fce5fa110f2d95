package dev.savepoint.stack.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A chaos plan is a function of its seed: replayable, within its window, and every pause long enough to be a zombie. */
class ChaosPlanTest {

    private static final Duration WINDOW = Duration.ofSeconds(150);
    private static final Duration LONGEST = Duration.ofSeconds(30);

    @Property(tries = 200)
    void theSameSeedDrawsTheSamePlan(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int count) {
        assertEquals(ChaosPlan.draw(seed, WINDOW, count, LONGEST, EnumSet.allOf(FaultKind.class)),
                ChaosPlan.draw(seed, WINDOW, count, LONGEST, EnumSet.allOf(FaultKind.class)));
    }

    @Property(tries = 200)
    void everyFaultFallsInTheWindowInOrderAndEveryOutageWithinItsBounds(@ForAll long seed,
            @ForAll @IntRange(min = 1, max = 80) int count) {
        ChaosPlan plan = ChaosPlan.draw(seed, WINDOW, count, LONGEST, EnumSet.allOf(FaultKind.class));
        assertEquals(count, plan.faults().size());
        Duration previous = Duration.ZERO;
        for (ChaosPlan.Planned p : plan.faults()) {
            assertTrue(p.at().compareTo(previous) >= 0 && p.at().compareTo(WINDOW) < 0, p.toString());
            previous = p.at();
            boolean kill = p.kind() == FaultKind.ATTEMPT_KILLED || p.kind() == FaultKind.SERVICE_KILLED;
            assertTrue(kill ? p.outage().isZero() : p.outage().compareTo(Duration.ofSeconds(3)) >= 0
                    && p.outage().compareTo(LONGEST) <= 0, p.toString());
            if (p.kind() == FaultKind.SERVICE_PAUSED) {
                assertTrue(p.outage().compareTo(Duration.ofSeconds(10)) >= 0, "a pause shorter than a lease and a "
                        + "probe makes no zombie: " + p);
            }
        }
    }

    @Test
    void differentSeedsDrawDifferentPlans() {
        assertNotEquals(ChaosPlan.draw(1, WINDOW, 36, LONGEST, EnumSet.allOf(FaultKind.class)).faults(),
                ChaosPlan.draw(2, WINDOW, 36, LONGEST, EnumSet.allOf(FaultKind.class)).faults());
    }

    @Test
    void aKindLeftOutIsNeverDrawnAndEveryKindAllowedIsDrawnInALongPlan() {
        Set<FaultKind> allowed = EnumSet.complementOf(EnumSet.of(FaultKind.POSTGRES_STOPPED));
        ChaosPlan plan = ChaosPlan.draw(7, WINDOW, 500, LONGEST, allowed);
        assertEquals(allowed, EnumSet.copyOf(plan.faults().stream().map(ChaosPlan.Planned::kind).toList()));
    }
}
