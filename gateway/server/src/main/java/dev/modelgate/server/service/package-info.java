/**
 * The transport-neutral seam: {@link dev.modelgate.server.service.InferenceService} is what the REST
 * (and later gRPC) layer calls; the model host implements it now, the traffic splitter later.
 */
package dev.modelgate.server.service;
