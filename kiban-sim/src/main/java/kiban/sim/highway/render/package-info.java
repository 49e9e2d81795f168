/** Off-screen top-down rendering of the highway with headless Java 2D. */
package kiban.sim.highway.render;
