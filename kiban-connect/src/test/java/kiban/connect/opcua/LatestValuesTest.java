package kiban.connect.opcua;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.junit.jupiter.api.Test;

/** When the newest values count as current: the sample time a reading carries. */
class LatestValuesTest {

    private static DataValue good(double v) {
        return new DataValue(new Variant(v));
    }

    private static LatestValues twoStateNodes() {
        LatestValues latest = new LatestValues(List.of("ns=2;s=a", "ns=2;s=b"), List.of(), false, 1);
        latest.onState(0, good(1));
        latest.onState(1, good(2));
        return latest;
    }

    private static long sampled(LatestValues latest) {
        return latest.reading(true).timestampNanos();
    }

    @Test
    void theServersClockKeepsAnUnchangedStateCurrent() {
        LatestValues latest = twoStateNodes();
        long first = sampled(latest);
        latest.onHeartbeat();
        assertThat(sampled(latest)).isGreaterThan(first);
    }

    @Test
    void aBadStatusStopsTheRefreshesUntilTheNodeIsGoodAgain() {
        LatestValues latest = twoStateNodes();
        latest.onState(1, new DataValue(new Variant(null), new StatusCode(StatusCodes.Bad_CommunicationError)));
        long frozen = sampled(latest);
        latest.onHeartbeat();
        latest.onKeepAlive();
        assertThat(sampled(latest)).isEqualTo(frozen);
        latest.onState(1, good(3));
        assertThat(sampled(latest)).isGreaterThan(frozen);
        assertThat(latest.reading(true).state()).containsExactly(1, 3);
    }

    @Test
    void afterTheSubscriptionIsMadeAgainOldValuesAreNotCurrentUntilEachNodeReports() {
        // A server that came back as a new process: until its state nodes report, the values held are the old
        // process's, and its clock ticking (often first) must not make them look current.
        LatestValues latest = twoStateNodes();
        long before = sampled(latest);
        latest.awaitNewValues();
        latest.onHeartbeat();
        latest.onKeepAlive();
        latest.onState(0, good(5));
        assertThat(sampled(latest)).as("node b has not reported since").isEqualTo(before);
        latest.onState(1, good(6));
        assertThat(sampled(latest)).isGreaterThan(before);
        assertThat(latest.reading(true).state()).containsExactly(5, 6);
    }
}
