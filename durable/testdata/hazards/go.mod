module example.com/hazards

go 1.26

require example.com/durable v0.0.0

replace example.com/durable => ./durable
