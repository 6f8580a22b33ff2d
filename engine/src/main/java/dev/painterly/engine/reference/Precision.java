package dev.painterly.engine.reference;

/**
 * What the reference stores: float32 rounds every stored value to float, so that the reference
 * behaves like a float32 device; exact keeps doubles, for finite-difference gradient checks.
 */
enum Precision {
    FLOAT32, EXACT;

    double store(double v) {
        return this == FLOAT32 ? (float) v : v;
    }
}
