package dev.painterly.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Works through items on several devices at once: one thread per device, each taking the next
 * item from one shared queue as soon as it is free, so a fast device takes more items than a slow
 * one and none waits for another. A task reports an item's ordinary failure itself and returns;
 * what it throws means its device can do no more: that device takes no further item, and the
 * others drain the queue.
 *
 * @param <D> a device (with whatever a task needs beside it)
 * @param <T> an item
 */
final class DeviceQueue<D, T> {

    /** Processes one item on one device. */
    @FunctionalInterface
    interface Task<D, T> {
        void run(D device, T item) throws Exception;
    }

    /** A device taken out by what its task threw on {@code item}. */
    record Stop<D, T>(D device, T item, Throwable cause) {
    }

    /**
     * How a run ended.
     *
     * @param stops  the devices taken out, in the order they stopped
     * @param notRun the items no device took, because every device was taken out
     */
    record Outcome<D, T>(List<Stop<D, T>> stops, List<T> notRun) {
    }

    private final List<D> devices;
    private final Task<D, T> task;

    DeviceQueue(List<D> devices, Task<D, T> task) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("no device to work on");
        }
        this.devices = List.copyOf(devices);
        this.task = task;
    }

    /** Processes every item, each on exactly one device, and returns once every device is idle. */
    Outcome<D, T> run(List<T> items) throws InterruptedException {
        Queue<T> queue = new ConcurrentLinkedQueue<>(items);
        List<Stop<D, T>> stops = Collections.synchronizedList(new ArrayList<>());
        if (devices.size() == 1) {
            // On the calling thread: with one device a batch runs as it always did.
            drain(devices.get(0), queue, stops);
        } else {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < devices.size(); i++) {
                D device = devices.get(i);
                Thread t = new Thread(() -> drain(device, queue, stops), "painterly-device-" + i);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return new Outcome<>(List.copyOf(stops), List.copyOf(queue));
    }

    private void drain(D device, Queue<T> queue, List<Stop<D, T>> stops) {
        for (T item = queue.poll(); item != null; item = queue.poll()) {
            try {
                task.run(device, item);
            } catch (Throwable t) {
                stops.add(new Stop<>(device, item, t));
                return;
            }
        }
    }
}
