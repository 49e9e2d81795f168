/** Running episodes of an env with a scripted policy and summarising them. */
package kiban.sim.rollout;
