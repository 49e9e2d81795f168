/**
 * Policies trained in PyTorch and saved with TorchScript, run by Kiban. A policy folder holds:
 *
 * <pre>
 * model.pt             torch.jit.save(torch.jit.script(module)) of a module mapping a float32 tensor
 *                      (1, observation_steps, observation_dim) to (1, horizon, action_dim); where
 *                      policy.json lists images, forward(obs, noise, images) with standard normal
 *                      noise (1, horizon * action_dim) and a list of one uint8 tensor
 *                      (1, observation_steps, height, width, channels) per camera, in that order
 * policy.json          type "torchscript", the observation and action features (as in embodiment
 *                      specs), observation_steps, horizon and action_steps; optionally images
 * normalization.json   optional: Kiban normalisers keyed "observation.NAME" and "action.NAME";
 *                      when present, inputs are normalised and outputs denormalised by Kiban,
 *                      angles included as plain values (no sine/cosine encoding)
 * </pre>
 */
package kiban.policy.torchscript;
