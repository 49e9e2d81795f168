package kiban.policy.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code act} policy's transformer: width {@code modelDim} ({@code model_dim}) split over
 * {@code heads}, {@code encoderLayers} and {@code decoderLayers} deep. Defaults are ACT's 4 encoder
 * layers and 1 decoder layer, narrowed to width 128 with 4 heads.
 */
public record ActConfig(int modelDim, int heads, int encoderLayers, int decoderLayers) implements PolicyConfig {

    @Override
    public String type() {
        return ActNetwork.TYPE;
    }

    @Override
    public void write(ObjectNode fields) {
        fields.put("model_dim", modelDim);
        fields.put("heads", heads);
        fields.put("encoder_layers", encoderLayers);
        fields.put("decoder_layers", decoderLayers);
    }
}
