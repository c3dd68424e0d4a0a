module example.com/flows

go 1.26

require github.com/microsoft/durabletask-go v0.0.0

replace github.com/microsoft/durabletask-go => ../../../testdata/sdk
