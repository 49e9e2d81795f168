package kiban.policy.card;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kiban.core.json.Json;

/**
 * One dataset a checkpoint was trained on, as the run's {@code lineage.json} records it: where it
 * was, the hash of its content, the embodiment it belongs to and its weight in the mixture (1 for
 * a single-dataset run), and the episodes trained on and held out.
 */
public record CardDataset(String dataset, String hash, String embodiment, double weight, int trainEpisodes,
        int validationEpisodes) {

    ObjectNode toTree() {
        return Json.object().put("dataset", dataset).put("dataset_hash", hash).put("embodiment", embodiment)
                .put("weight", weight).put("train_episodes", trainEpisodes).put("validation_episodes", validationEpisodes);
    }
}
