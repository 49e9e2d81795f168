package kiban.runtime.shield;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import kiban.core.embodiment.FeatureSpec;
import kiban.core.embodiment.SafetyEnvelope;
import kiban.core.embodiment.StopMode;
import kiban.core.embodiment.Zone;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For any envelope and any command stream (NaN, infinities, huge values, stalls), every command
 * the shield emits stays inside the envelope, and a stalled stream stops within the watchdog.
 */
class SafetyShieldPropertiesTest {

    /** A generated one-feature envelope: per-element range, optional rate and acceleration limits. */
    record Case(double[] low, double[] high, double[] rate, double[] acc, StopMode stop, int watchdog, double dt,
            List<double[]> stream, boolean workspace, boolean keepOut) {

        int dim() {
            return low.length;
        }

        /** The workspace box: the middle 80% of each range. */
        double[] wsLow() {
            double[] v = low.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = workspace ? low[i] + 0.1 * (high[i] - low[i]) : low[i];
            }
            return v;
        }

        double[] wsHigh() {
            double[] v = high.clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = workspace ? high[i] - 0.1 * (high[i] - low[i]) : high[i];
            }
            return v;
        }

        /** The keep-out box: the middle 20% of each range. */
        double[] koLow() {
            double[] v = new double[low.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = low[i] + 0.4 * (high[i] - low[i]);
            }
            return v;
        }

        double[] koHigh() {
            double[] v = new double[low.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = low[i] + 0.6 * (high[i] - low[i]);
            }
            return v;
        }

        @Override
        public String toString() {
            return "Case[low=" + java.util.Arrays.toString(low) + ", high=" + java.util.Arrays.toString(high) + ", rate="
                    + java.util.Arrays.toString(rate) + ", acc=" + java.util.Arrays.toString(acc) + ", stop=" + stop + ", watchdog="
                    + watchdog + ", dt=" + dt + ", workspace=" + workspace + ", keepOut=" + keepOut + ", stream="
                    + stream.stream().map(java.util.Arrays::toString).toList() + "]";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> dims = Arbitraries.integers().between(1, 3);
        return dims.flatMap(n -> Combinators.combine(
                Arbitraries.doubles().between(-100, 100).array(double[].class).ofSize(n),
                Arbitraries.doubles().between(0.01, 50).array(double[].class).ofSize(n),
                Arbitraries.doubles().between(0.1, 100).array(double[].class).ofSize(n).injectNull(0.3),
                Arbitraries.doubles().between(0.1, 1000).array(double[].class).ofSize(n).injectNull(0.5),
                Arbitraries.of(StopMode.values()),
                Arbitraries.integers().between(1, 4),
                Arbitraries.of(0.001, 0.01, 0.05, 0.2, 1.0),
                command(n).list().ofMinSize(1).ofMaxSize(120))
                .as((lo, width, rate, acc, stop, wd, dt, stream) -> {
                    double[] hi = new double[n];
                    for (int i = 0; i < n; i++) {
                        hi[i] = lo[i] + width[i];
                    }
                    return new Case(lo, hi, rate, acc, stop, wd, dt, stream, false, false);
                }).flatMap(c -> Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false))
                        .as((w, k) -> new Case(c.low(), c.high(), c.rate(), c.acc(), c.stop(), c.watchdog(), c.dt(), c.stream(), w, k))));
    }

    /** A command: ordinary, huge, non-finite, or null (the policy stalled). */
    private static Arbitrary<double[]> command(int n) {
        Arbitrary<Double> element = Arbitraries.oneOf(
                Arbitraries.doubles().between(-200, 200),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e300, -1e300, Double.MAX_VALUE));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.doubles().between(-200, 200).array(double[].class).ofSize(n)),
                net.jqwik.api.Tuple.of(2, element.array(double[].class).ofSize(n)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(null)));
    }

    static SafetyShield shield(Case c) {
        FeatureSpec action = new FeatureSpec("a", "m", List.of(c.dim()), List.of(), box(c.low()), box(c.high()),
                c.rate() == null ? List.of() : box(c.rate()));
        FeatureSpec state = new FeatureSpec("s", "m", List.of(c.dim()), List.of(), box(c.low()), box(c.high()), List.of());
        List<Zone> workspace = c.workspace() ? List.of(new Zone("ws", "a", box(c.wsLow()), box(c.wsHigh()))) : List.of();
        List<Zone> keepOut = c.keepOut() ? List.of(new Zone("ko", "a", box(c.koLow()), box(c.koHigh()))) : List.of();
        SafetyEnvelope env = new SafetyEnvelope(c.watchdog(), c.stop(), c.acc() == null ? Map.of() : Map.of("a", box(c.acc())),
                Map.of(), workspace, keepOut, Double.NaN, Double.NaN);
        return SafetyShield.builder(List.of(action), List.of(state), env).setDt(c.dt()).build();
    }

    @Property(tries = 150)
    void everyEmittedCommandStaysInsideTheEnvelope(@ForAll("cases") Case c) {
        SafetyShield shield = shield(c);
        List<double[]> sent = new ArrayList<>();
        List<Boolean> held = new ArrayList<>();
        long cycle = 0;
        for (double[] proposed : c.stream()) {
            double[] out = shield.filter(cycle++, proposed, new double[c.dim()], false);
            if (out != null) {
                sent.add(out);
                held.add((shield.lastReasons() & Reason.KEEP_OUT.bit()) != 0);
            } else {
                assertThat(sent).as("nothing is sent only before the first command").isEmpty();
            }
        }
        double[] lo = c.wsLow();
        double[] hi = c.wsHigh();
        for (int t = 0; t < sent.size(); t++) {
            double[] a = sent.get(t);
            boolean insideKeepOut = c.keepOut();
            for (int i = 0; i < c.dim(); i++) {
                assertThat(a[i]).isFinite().isBetween(lo[i], hi[i]);
                insideKeepOut &= a[i] >= c.koLow()[i] && a[i] <= c.koHigh()[i];
                double tol = 1e-9 * (1 + Math.abs(c.high()[i]) + Math.abs(c.low()[i]));
                if (t >= 1 && c.rate() != null) {
                    assertThat(Math.abs(a[i] - sent.get(t - 1)[i])).isLessThanOrEqualTo(c.rate()[i] * c.dt() + tol);
                }
                // a keep-out hold is exact and overrides the acceleration limit for its cycle
                if (t >= 2 && c.acc() != null && !held.get(t)) {
                    double acc = a[i] - 2 * sent.get(t - 1)[i] + sent.get(t - 2)[i];
                    assertThat(Math.abs(acc)).isLessThanOrEqualTo(c.acc()[i] * c.dt() * c.dt() + 2 * tol);
                }
            }
            assertThat(insideKeepOut).as("command %d inside the keep-out box", t).isFalse();
        }
    }

    @Property(tries = 100)
    void aStalledPolicyStopsTheMachineWithinTheWatchdog(@ForAll("cases") Case c) {
        SafetyShield shield = shield(c);
        long cycle = 0;
        for (double[] proposed : c.stream()) {
            shield.filter(cycle++, proposed, new double[c.dim()], false);
        }
        shield.filter(cycle++, new double[c.dim()], new double[c.dim()], false); // one fresh command, then the stall
        for (int k = 1; k <= c.watchdog(); k++) {
            shield.filter(cycle++, null, new double[c.dim()], false);
            if (k < c.watchdog()) {
                assertThat(shield.stopping()).isFalse();
            }
        }
        assertThat(shield.stopping()).as("stopping after %d stalled cycles", c.watchdog()).isTrue();
        assertThat(shield.counts()).containsKey(Reason.WATCHDOG);
        // then the command settles on the stop target through the limits, and stays there
        double[] target = new double[c.dim()];
        for (int i = 0; i < c.dim(); i++) {
            target[i] = Math.max(c.wsLow()[i], Math.min(c.wsHigh()[i], 0));
        }
        double slowest = 0;
        for (int i = 0; i < c.dim(); i++) {
            double width = c.high()[i] - c.low()[i];
            double byRate = c.rate() == null ? 1 : width / (c.rate()[i] * c.dt());
            double speed = c.rate() == null ? width : c.rate()[i] * c.dt();
            double byAcc = c.acc() == null ? 1
                    : 2 * Math.sqrt(width / (c.acc()[i] * c.dt() * c.dt())) + speed / (c.acc()[i] * c.dt() * c.dt());
            slowest = Math.max(slowest, byRate + byAcc);
        }
        long settle = (long) Math.ceil(slowest) + 10;
        if (settle > 5_000 || c.keepOut()) {
            return; // the stop target takes too long to reach here, or a keep-out box may block the way (the envelope property covers both)
        }
        for (long k = 0; k < settle; k++) {
            shield.filter(cycle++, null, new double[c.dim()], false);
        }
        double[] settled = shield.filter(cycle++, null, new double[c.dim()], false);
        if (settled == null) {
            assertThat(c.stop()).isEqualTo(StopMode.HOLD);
            return;
        }
        double[] again = shield.filter(cycle, null, new double[c.dim()], false);
        assertThat(again).as("a stopped machine stays put").containsExactly(settled, org.assertj.core.data.Offset.offset(1e-9));
        if (c.stop() == StopMode.ZERO) {
            assertThat(settled).containsExactly(target, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Property(tries = 100)
    void aNonFiniteCommandNeverPassesAndIsCounted(@ForAll("cases") Case c) {
        SafetyShield shield = shield(c);
        long cycle = 0;
        long nonFinite = 0;
        for (double[] proposed : c.stream()) {
            double[] out = shield.filter(cycle++, proposed, new double[c.dim()], false);
            if (proposed != null && !java.util.Arrays.stream(proposed).allMatch(Double::isFinite)) {
                nonFinite++;
                assertThat(shield.stopping()).isTrue();
            }
            if (out != null) {
                assertThat(java.util.Arrays.stream(out).allMatch(Double::isFinite)).isTrue();
            }
        }
        assertThat(shield.counts().getOrDefault(Reason.NON_FINITE, 0L)).isEqualTo(nonFinite);
    }

    private static List<Double> box(double[] v) {
        List<Double> l = new ArrayList<>();
        for (double x : v) {
            l.add(x);
        }
        return Collections.unmodifiableList(l);
    }
}
