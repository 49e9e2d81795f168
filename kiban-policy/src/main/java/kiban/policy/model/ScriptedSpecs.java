package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ArrayNode;

/** Helpers for the types' parts of the export script's spec. */
final class ScriptedSpecs {

    private ScriptedSpecs() {}

    static void floats(ArrayNode a, float[] v) {
        for (float x : v) {
            a.add(x);
        }
    }
}
