package io.llmgateway.backend.chat;

import io.llmgateway.backend.chat.ChatRequest.Block;
import io.llmgateway.backend.chat.ChatRequest.Role;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * Converse's conversation, built block by block. Converse wants user and assistant to alternate, so
 * consecutive blocks of one role go into one turn: several messages (or input items) of one role, or
 * several tool results, become one turn with several content blocks.
 */
public final class Turns {

    private final List<Role> roles = new ArrayList<>();
    private final List<List<Block>> blocks = new ArrayList<>();

    /** Adds a block to the last turn when it is of this role, else to a new turn. */
    public void add(Role role, Block block) {
        if (roles.isEmpty() || roles.get(roles.size() - 1) != role) {
            roles.add(role);
            blocks.add(new ArrayList<>());
        }
        blocks.get(blocks.size() - 1).add(block);
    }

    public boolean isEmpty() {
        return roles.isEmpty();
    }

    /** The index of the last turn, the one the last block went into. */
    int lastTurn() {
        return blocks.size() - 1;
    }

    /** The index of the last block within its turn. */
    int lastBlock() {
        return blocks.get(blocks.size() - 1).size() - 1;
    }

    public List<Turn> build() {
        List<Turn> turns = new ArrayList<>(roles.size());
        for (int t = 0; t < roles.size(); t++) {
            turns.add(new Turn(roles.get(t), blocks.get(t)));
        }
        return turns;
    }
}
