/**
 * Kiban's foundation policy: one flow-matching transformer over several embodiments (robot arm,
 * pusher, vehicle, factory cell, a real humanoid's recording), each with its own state and action
 * heads, following instructions given as word tokens; pretrained on a weighted mixture of LeRobot
 * datasets ({@link kiban.policy.foundation.FoundationTrainer}, {@link kiban.policy.foundation.MixSource}),
 * fine-tuned from a checkpoint to a new task or embodiment, and served to every embodiment from one
 * copy of the weights, each observation naming its own ({@link kiban.policy.foundation.FoundationPolicy}).
 */
package kiban.policy.foundation;
