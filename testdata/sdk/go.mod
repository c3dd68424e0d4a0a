module github.com/microsoft/durabletask-go

go 1.26
