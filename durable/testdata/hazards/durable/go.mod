module example.com/durable

go 1.26
