package kiban.data.sample;

import java.util.Map;

/**
 * One training window around frame {@code index} (global) of {@code episode}: for each feature a
 * [T, D] row-major float array, and a [T] pad mask that is true where the offset fell outside the
 * episode (the value there repeats the nearest edge frame, as LeRobot does).
 */
public record Sample(long index, int episode, Map<String, float[]> values, Map<String, boolean[]> padMasks) {
}
