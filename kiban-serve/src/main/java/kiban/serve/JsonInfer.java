package kiban.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import kiban.client.Wire;
import kiban.core.error.InvalidInputException;
import kiban.core.policy.PolicyMetadata;
import kiban.core.policy.PolicyObservation;

/**
 * Reads the body of {@code POST /v1/infer} as a stream of tokens against the shape the metadata
 * gives, so the only array allocated is the one the policy reads ({@code observationSteps x
 * observationDim}) and a body that claims more rows or longer rows is refused at the first extra
 * number, whatever its first row says. {@code prompt}, the task's instruction as openpi's clients
 * send it, is a string of at most {@link PolicyObservation#MAX_INSTRUCTION_CHARS} characters; other
 * keys are skipped without being built. Every fault is an {@link InvalidInputException} naming the field, never Jackson's text
 * about its input source.
 */
final class JsonInfer {

    private static final String SOURCE = "request";
    /** Deeper than any request needs; skipped values nest no further. */
    private static final int MAX_DEPTH = 32;
    /** Digits of one number: a double needs 17 significant digits plus sign and exponent. */
    private static final int MAX_NUMBER_LENGTH = 64;

    private static final JsonFactory FACTORY = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH).maxNumberLength(MAX_NUMBER_LENGTH).build()).build();

    private final PolicyMetadata m;
    private String field = "";

    private JsonInfer(PolicyMetadata m) {
        this.m = m;
    }

    /** The history the body holds, checked against {@code m}. */
    static PolicyObservation[] parse(byte[] body, PolicyMetadata m) {
        return new JsonInfer(m).read(body);
    }

    /**
     * The embodiment the body's top-level {@code embodiment} key chooses among {@code served}, read
     * before the state (whose shape depends on it) wherever the key stands; other values are
     * skipped without being built.
     */
    static Embodiments.Target embodiment(byte[] body, Embodiments served) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException(SOURCE, "", "a JSON object such as {\"" + Embodiments.KEY + "\": \"NAME\", \""
                        + Wire.STATE + "\": [...]}", first == null ? "an empty body" : a(describe(first)));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (Embodiments.KEY.equals(name)) {
                    if (t != JsonToken.VALUE_STRING) {
                        throw served.refused(a(describe(t)));
                    }
                    return served.choose(p.getText(), false);
                }
                p.skipChildren();
            }
            return served.choose(null, true);
        } catch (JsonProcessingException e) {
            throw new JsonInfer(served.first()).syntax(e);
        } catch (IOException e) {
            throw new InvalidInputException(SOURCE, "", "a readable body", "a read error");
        }
    }

    private PolicyObservation[] read(byte[] body) {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new InvalidInputException(SOURCE, "", "a JSON object such as {\"" + Wire.STATE + "\": " + Wire.stateShape(m)
                        + " numbers}", t == null ? "an empty body" : a(describe(t)));
            }
            double[] state = null;
            String prompt = "";
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (Wire.STATE.equals(name)) {
                    if (state != null) {
                        throw new InvalidInputException(SOURCE, Wire.STATE, "one value", "the key twice");
                    }
                    field = Wire.STATE;
                    state = state(p);
                    field = "";
                } else if (Wire.PROMPT.equals(name)) {
                    prompt = prompt(p);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new InvalidInputException(SOURCE, "", "one JSON object", "more content after it");
            }
            if (state == null) {
                throw new InvalidInputException(SOURCE, Wire.STATE, Observations.expected(m), "no such key");
            }
            PolicyObservation[] history = Observations.fromJson(state, m);
            for (int k = 0; k < history.length; k++) {
                history[k] = history[k].withInstruction(prompt);
            }
            return history;
        } catch (JsonProcessingException e) {
            throw syntax(e);
        } catch (IOException e) {
            throw new InvalidInputException(SOURCE, field, "a readable body", "a read error");
        }
    }

    private static String prompt(JsonParser p) throws IOException {
        String expected = "a string of at most " + PolicyObservation.MAX_INSTRUCTION_CHARS + " characters (the task's instruction)";
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new InvalidInputException(SOURCE, Wire.PROMPT, expected, a(describe(p.currentToken())));
        }
        String text = p.getText();
        if (text.length() > PolicyObservation.MAX_INSTRUCTION_CHARS) {
            throw new InvalidInputException(SOURCE, Wire.PROMPT, expected, text.length() + " characters");
        }
        return text;
    }

    /** {@code observation.state}: rows of numbers, or one row for a policy that reads one observation. */
    private double[] state(JsonParser p) throws IOException {
        int steps = m.observationSteps();
        int dim = m.observationDim();
        String expected = "an array of shape " + Wire.stateShape(m) + (steps == 1 ? " (or [[" + dim + " numbers]])"
                : " (the whole history, oldest first: HTTP keeps no history; send one observation at a time over the WebSocket)");
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected, a(describe(p.currentToken())));
        }
        double[] flat = new double[steps * dim];
        JsonToken t = p.nextToken();
        if (t != JsonToken.START_ARRAY) {
            // One row: the observation alone, which only a one-step policy reads over HTTP.
            if (steps != 1) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected, "a flat array of numbers");
            }
            row(p, flat, 0, expected, "");
            return flat;
        }
        int k = 0;
        for (; t == JsonToken.START_ARRAY; t = p.nextToken()) {
            if (k == steps) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected, "more than " + steps + " rows");
            }
            p.nextToken();
            row(p, flat, k * dim, expected, "row " + k + " ");
            k++;
        }
        if (t != JsonToken.END_ARRAY) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected, a(describe(t)) + " among the rows");
        }
        if (k != steps) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected, k + " rows");
        }
        return flat;
    }

    /** Reads numbers into {@code flat} from {@code at} until the row's end, refusing more or fewer than a row. */
    private void row(JsonParser p, double[] flat, int at, String expected, String which) throws IOException {
        int dim = m.observationDim();
        int i = 0;
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected, a(describe(t)) + " at " + which + "element " + i);
            }
            if (i == dim) {
                throw new InvalidInputException(SOURCE, Wire.STATE, expected, subject(which) + " of more than " + dim + " numbers");
            }
            flat[at + i++] = p.getDoubleValue();
        }
        if (i != dim) {
            throw new InvalidInputException(SOURCE, Wire.STATE, expected, subject(which) + " of " + i + " numbers");
        }
    }

    private InvalidInputException syntax(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return new InvalidInputException(SOURCE, field, "well-formed JSON", "a syntax error" + where + " (" + reason(e) + ")");
    }

    /** Jackson's reason, without the part about the input source that it cannot show ("Source: REDACTED"). */
    static String reason(JsonProcessingException e) {
        String r = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        for (String cut : new String[] {"\n", " (start marker", " at [Source", " (for "}) {
            int i = r.indexOf(cut);
            if (i >= 0) {
                r = r.substring(0, i);
            }
        }
        return r.strip();
    }

    private static String subject(String which) {
        return which.isEmpty() ? "an array" : which.strip();
    }

    private static String a(String noun) {
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name().toLowerCase(java.util.Locale.ROOT) : "'" + t.asString() + "'";
        };
    }
}
