/** Off-screen rendering helpers and rollout videos (animated GIF through ImageIO, MP4 through jcodec). */
package kiban.sim.render;
