/**
 * Off-screen rendering helpers, the per-episode variation of a picture's look that render
 * randomisation draws ({@link kiban.sim.render.RenderVariation}), and rollout videos (animated GIF
 * through ImageIO, MP4 through jcodec).
 */
package kiban.sim.render;
