package main

import "github.com/gormpickle/gormpickle/serializer"

// describeModelPayload describes a model payload (serializer.EncodeModel).
func describeModelPayload(data []byte) (any, error) {
	return serializer.DescribeModel(data)
}
