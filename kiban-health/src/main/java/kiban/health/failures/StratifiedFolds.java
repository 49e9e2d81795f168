package kiban.health.failures;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Stratified k-fold assignment: each class's instances are shuffled (seeded) and dealt to the folds
 * in turn, the deal going on from fold to fold across classes, so every fold holds each class in
 * proportion (within one instance) and the folds' sizes differ by at most one. A class with fewer
 * instances than folds lands in as many folds as it has instances, and the others hold none of it;
 * every instance is still tested exactly once.
 */
public final class StratifiedFolds {

    private StratifiedFolds() {}

    /** The fold, in {@code [0, k)}, of each instance; {@code labels} are class indices in {@code [0, classes)}. */
    public static int[] assign(int[] labels, int classes, int k, long seed) {
        if (k < 2 || k > labels.length) {
            throw new IllegalArgumentException("folds must lie in [2, " + labels.length + "] (the instances), got " + k);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (List<Integer> members : byClass) {
            Collections.shuffle(members, random);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % k;
            }
        }
        return fold;
    }

    /** The instances of fold {@code f} ({@code inside}) or of every other fold, in index order. */
    public static int[] members(int[] folds, int f, boolean inside) {
        return java.util.stream.IntStream.range(0, folds.length).filter(i -> (folds[i] == f) == inside).toArray();
    }
}
