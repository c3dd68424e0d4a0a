module github.com/contoso/orders/handler

go 1.26

require github.com/microsoft/durabletask-go v0.0.0

replace github.com/microsoft/durabletask-go => ../../../sdk
