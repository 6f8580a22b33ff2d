package dev.painterly.cli;

/** Entry point placeholder. */
public final class Painterly {
    public static void main(String[] args) {
    }
}
