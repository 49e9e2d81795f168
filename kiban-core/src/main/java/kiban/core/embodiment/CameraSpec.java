package kiban.core.embodiment;

/** A camera stream: frames of {@code height x width x channels} bytes. */
public record CameraSpec(String name, int height, int width, int channels) {}
