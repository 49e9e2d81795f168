package kiban.sim.highway.traffic;

/** The nearest vehicles ahead of and behind a point of a lane; either may be null. */
public record Neighbours(Vehicle front, Vehicle rear) {}
