"""``python -m nn_kernel -f CONNECTION_FILE``: what the kernel spec starts."""

from ipykernel.kernelapp import IPKernelApp

from .kernel import NNKernel

IPKernelApp.launch_instance(kernel_class=NNKernel)
