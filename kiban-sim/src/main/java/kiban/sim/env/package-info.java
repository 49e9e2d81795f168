/**
 * The environment API every simulator implements: {@link kiban.sim.env.Env} with reset by seed and
 * step by action, typed by an {@link kiban.sim.env.EnvSpec}; a registry found through
 * {@link java.util.ServiceLoader}; vectorised stepping; domain randomisation hooks.
 */
package kiban.sim.env;
