package kiban.sim.pusht;

import java.util.SplittableRandom;

/**
 * The reset draw of gym-pusht: agent position integers in 50..449, block position integers in
 * 100..399 and block angle {@code N(0,1) * 2 pi - pi}, drawn in that order. numpy's legacy
 * RandomState cannot be reproduced here, so the same seed gives a different (but equally
 * distributed) start than in gym-pusht.
 */
record InitialState(int agentX, int agentY, int blockX, int blockY, double blockAngle) {

    static InitialState draw(SplittableRandom random) {
        int agentX = 50 + random.nextInt(400);
        int agentY = 50 + random.nextInt(400);
        int blockX = 100 + random.nextInt(300);
        int blockY = 100 + random.nextInt(300);
        double angle = random.nextGaussian() * 2 * Math.PI - Math.PI;
        return new InitialState(agentX, agentY, blockX, blockY, angle);
    }
}
