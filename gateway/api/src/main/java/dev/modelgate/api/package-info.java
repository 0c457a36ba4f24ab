/**
 * The Modelgate contract: the Open Inference Protocol (KServe V2) data model and the errors every
 * module speaks. JDK only, so that runtimes, the gateway and tools share it without dragging a
 * transport or an engine along.
 */
package dev.modelgate.api;
